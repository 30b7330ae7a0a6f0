"""The lecture's multicast receiver, step by step, joined on one interface.

Usage: seed_receiver.py GROUP PORT IFACE COUNT TIMEOUT_SECONDS
Says "joined ..." on stderr once the membership is added, then prints one JSON line per
datagram: {"src": "ip:port", "hex": <the bytes>, "utf8": <decodes as UTF-8>, "text": <decoded or null>}.
Exits 0 after COUNT datagrams, 3 if the timeout passes first.
"""
import json
import socket
import sys

RECV_SIZE = 65535

group, port, iface = sys.argv[1], int(sys.argv[2]), sys.argv[3]
count, timeout = int(sys.argv[4]), float(sys.argv[5])

# Create a normal UDP socket bound to the multicast address and port: the bind address
# filters the arriving packets, so only this group's datagrams reach us.
my_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
my_socket.bind((group, port))

# Add group membership: the group's address followed by the local interface to receive on.
multicast_group_bytes = socket.inet_aton(group)
multicast_if_bytes = socket.inet_aton(iface)
multicast_request = multicast_group_bytes + multicast_if_bytes
my_socket.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, multicast_request)
print(f"joined {group}:{port} on {iface}", file=sys.stderr, flush=True)

# Then do a normal UDP receive.
my_socket.settimeout(timeout)
try:
    for _ in range(count):
        data, (address, source_port) = my_socket.recvfrom(RECV_SIZE)
        try:
            text, utf8 = data.decode('utf-8'), True
        except UnicodeDecodeError:
            text, utf8 = None, False
        print(json.dumps({"src": f"{address}:{source_port}", "hex": data.hex(), "utf8": utf8, "text": text}), flush=True)
except socket.timeout:
    print(f"no datagram within {timeout} s", file=sys.stderr, flush=True)
    sys.exit(3)
finally:
    # Stop receiving multicast packets.
    my_socket.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, multicast_request)
    my_socket.close()
