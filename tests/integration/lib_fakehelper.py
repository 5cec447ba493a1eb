"""A stand-in for a helper program of dnp3d (the link address classifier,
a multi-drop relay), for the attack_*.sh tests that set it as
DNP3D_CLASSIFY or DNP3D_RELAY: the listener's channel is descriptor 3,
the pipe back 4. Each start is an incarnation, counted in
$FAKE_DIR/incarnations; from incarnation `real` on it execs the real
program instead."""
import array, os, socket, struct

READY = 2       # CHAN_READY (ipc/channel.h)


def incarnation(real, path, name):
    """This start's number (0-based); execs path as name from real on."""
    with open(os.environ['FAKE_DIR'] + '/incarnations', 'a+') as f:
        f.seek(0)
        n = len(f.readlines())
        f.write('%d\n' % os.getpid())
    if n >= real:
        os.execv(path, [name, '-d'])
    return n


def rec(kind, payload):
    """One channel record (ipc/channel.h)."""
    return struct.pack('<IHHI', 0x48433344, 1, kind, len(payload)) + payload


class Chan:
    """The channel; every descriptor received is kept, never closed."""

    def __init__(self):
        self.s = socket.socket(fileno=3)
        self.kept = []

    def recv(self):
        msg, anc, _, _ = self.s.recvmsg(4200, socket.CMSG_SPACE(4))
        for lvl, typ, data in anc:
            self.kept.extend(array.array('i', data))
        return msg


def send(kind, payload=b''):
    os.write(4, rec(kind, payload))
