"""UDP datagrams with a forged IP source address and port, on loopback only (tests/hostile).

Node has no raw sockets, so the live hostile tests run this as a long-lived child (as root) and
feed it datagrams on stdin; one process, no spawn per datagram. It writes each one out of a raw
IPv4 socket (IPPROTO_RAW: we build the IP header, source included) that is bound to the
loopback device and names 127.0.0.1 for multicast, and it refuses any destination outside
127.0.0.0/8 and 224.0.0.0/4 and any TTL above 1: nothing it sends can leave this host.

stdin, one record after another (network byte order):
  b'D' + datagram    send it now
  b'Q' + datagram    queue it (for B and P)
  b'B'               blast the queue round-robin as fast as possible until the next byte
                     arrives on stdin (send b'S' to stop); prints "blasted <count> <seconds>"
  b'P' + rate (u32)  send the queue once, in order, at `rate` datagrams a second;
                     prints "paced <count> <seconds>"
  b'F'               prints "sent <total>": everything before it has been handed to the kernel
  b'S'               nothing (ends a blast)
  datagram = src ip (4) + src port (u16) + dst ip (4) + dst port (u16) + ttl (u8)
             + payload length (u16) + payload
stdout: "ready" once the socket is set up, then one line per B, P and F. Exits at end of input.
"""
import errno
import ipaddress
import os
import select
import socket
import struct
import sys
import time

DATAGRAM_HEAD = struct.Struct('!4sH4sHBH')
# 25 is SO_BINDTODEVICE on Linux; older Pythons do not name it.
SO_BINDTODEVICE = getattr(socket, 'SO_BINDTODEVICE', 25)
# A blast that is never stopped (the test died without closing our stdin) ends by itself.
BLAST_MAX_SECONDS = 120
LOOPBACK_NET = ipaddress.ip_network('127.0.0.0/8')
MULTICAST_NET = ipaddress.ip_network('224.0.0.0/4')


class Input:
    """Exact reads from stdin's file descriptor, unbuffered by Python: a blast has to see at
    once (with select) that a byte is waiting, which a BufferedReader could hide."""

    def __init__(self, fd):
        self.fd = fd
        self.buffer = bytearray()

    def waiting(self):
        return len(self.buffer) > 0 or bool(select.select([self.fd], [], [], 0)[0])

    def read(self, n):
        """n bytes, or None at end of input."""
        while len(self.buffer) < n:
            chunk = os.read(self.fd, max(65536, n - len(self.buffer)))
            if not chunk:
                return None
            self.buffer += chunk
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out


def open_socket():
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    # Two pins, each enough on its own: the device, and the multicast interface by address.
    raw.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b'lo\0')
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('127.0.0.1'))
    bound = raw.getsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, 16).rstrip(b'\0')
    if bound != b'lo':
        raise SystemExit(f'raw socket is bound to {bound!r}, not lo: refusing to send')
    # Big enough that a blast is limited by the receivers, not by our own queue.
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    return raw


def packet(head, payload):
    """The whole IPv4 packet; the kernel fills in the IP checksum (and the id, left 0)."""
    src, sport, dst, dport, ttl, length = head
    dst_address = ipaddress.ip_address(dst)
    if dst_address not in LOOPBACK_NET and dst_address not in MULTICAST_NET:
        raise SystemExit(f'refusing destination {dst_address}: loopback and multicast only')
    if ttl > 1:
        raise SystemExit(f'refusing TTL {ttl}: at most 1')
    if ipaddress.ip_address(src) not in LOOPBACK_NET:
        raise SystemExit(f'refusing source {ipaddress.ip_address(src)}: forged sources stay in 127.0.0.0/8')
    udp_length = 8 + length
    # UDP checksum 0: "no checksum", valid over IPv4 (RFC 768); receivers accept it.
    udp = struct.pack('!HHHH', sport, dport, udp_length, 0)
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + udp_length, 0, 0, ttl, socket.IPPROTO_UDP, 0, src, dst)
    return ip + udp + payload, (socket.inet_ntoa(dst), 0)


def read_datagram(stdin):
    head_bytes = stdin.read(DATAGRAM_HEAD.size)
    if head_bytes is None:
        return None
    head = DATAGRAM_HEAD.unpack(head_bytes)
    payload = stdin.read(head[5])
    if payload is None:
        return None
    return packet(head, payload)


def say(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def main():
    raw = open_socket()
    stdin = Input(sys.stdin.fileno())
    queue = []
    total = 0
    say('ready')
    while True:
        op = stdin.read(1)
        if op is None:
            return
        if op in (b'D', b'Q'):
            datagram = read_datagram(stdin)
            if datagram is None:
                return
            if op == b'Q':
                queue.append(datagram)
            else:
                raw.sendto(*datagram)
                total += 1
        elif op == b'B':
            started = time.monotonic()
            count = 0
            while queue and not stdin.waiting() and time.monotonic() - started < BLAST_MAX_SECONDS:
                for data, address in queue:
                    try:
                        raw.sendto(data, address)
                        count += 1
                    except OSError as error:
                        # The device queue full for a moment: drop it, as a flood does.
                        if error.errno not in (errno.ENOBUFS, errno.EAGAIN):
                            raise
            total += count
            queue = []
            say(f'blasted {count} {time.monotonic() - started:.3f}')
        elif op == b'P':
            rate_bytes = stdin.read(4)
            if rate_bytes is None:
                return
            (rate,) = struct.unpack('!I', rate_bytes)
            started = time.monotonic()
            for i, (data, address) in enumerate(queue):
                ahead = started + i / rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
                raw.sendto(data, address)
            total += len(queue)
            say(f'paced {len(queue)} {time.monotonic() - started:.3f}')
            queue = []
        elif op == b'F':
            say(f'sent {total}')
        elif op != b'S':
            raise SystemExit(f'unknown record {op!r}')

if __name__ == '__main__':
    main()
