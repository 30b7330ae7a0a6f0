"""The lecture's multicast sender, step by step, pinned to one interface.

Usage: seed_sender.py GROUP PORT TTL IFACE TEXT
Prints {"src": "ip:port"} (the socket's own address) on stdout once the datagram is sent.
"""
import json
import socket
import struct
import sys

group, port, ttl, iface, text = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]

# Create a UDP socket as usual.
my_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# Set the IP_MULTICAST_TTL protocol option.
ttl_bytes = struct.pack('B', ttl)
my_socket.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl_bytes)

# Make sure the packets leave on the right interface (the tests keep everything on loopback):
# bind the socket to the interface's address, as the notes suggest, and name it for multicast.
my_socket.bind((iface, 0))
my_socket.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))

# Then do a normal UDP send to the multicast (address, port) tuple.
my_socket.sendto(text.encode('utf-8'), (group, port))

address, source_port = my_socket.getsockname()
print(json.dumps({"src": f"{address}:{source_port}"}), flush=True)
my_socket.close()
