"""One linear pass over a pickle's opcodes, before anything in it is built.

CPython's unpickler trusts a stream's bookkeeping: a memo index near 2**32 makes it allocate a
table that large, a size field allocates what it claims before the bytes are read, and dict keys
or set members that share one hash (integers congruent modulo 2**61 - 1, tuples built to
collide) make each insertion scan all the others, so a 500-kB file takes seconds and a few MB
hours. The pass walks the opcodes as pickletools describes them (argument layout, stack effect)
and follows the unpickler's stack and memo with the *type* of each item, never its value. It
refuses:

* an unknown opcode, or an argument that claims more bytes than remain;
* a memo index that skips ahead of those stored so far (every pickler numbers them 0, 1, 2, ...)
  or is read before it is stored, and a frame longer than the rest of the data;
* dict keys and set members other than strings, bytes, integers of up to 64 bits, booleans
  and None (no crafted collisions among those: strings and bytes hash with a per-process key);
* more objects than the load's budget allows (load_limits.py): each 1-byte EMPTY_DICT or
  EMPTY_SET becomes 150-250 bytes of Python objects, so a 10-kB gzip file built gigabytes.
"""
import pickletools

from unisign_fla.formats.load_limits import LoadBudget, UnsafePickleError, describe

KEY_TYPES = frozenset({'int', 'int_or_bool', 'bool', 'None', 'str', 'bytes', 'bytes_or_str'})
INT64 = 2**63
_LENGTH_FIELDS = {pickletools.TAKEN_FROM_ARGUMENT1: (1, False),
                  pickletools.TAKEN_FROM_ARGUMENT4: (4, True),
                  pickletools.TAKEN_FROM_ARGUMENT4U: (4, False),
                  pickletools.TAKEN_FROM_ARGUMENT8U: (8, False)}
_SIGNED = frozenset({'int4'})


# What the pass does at each opcode, besides reading its argument.
PUSH, APPLY, GET, PUT, MEMOIZE, MARK, POP, DUP, FRAME, STOP = range(10)
_ROLES = {'GET': GET, 'BINGET': GET, 'LONG_BINGET': GET, 'PUT': PUT, 'BINPUT': PUT,
          'LONG_BINPUT': PUT, 'MEMOIZE': MEMOIZE, 'MARK': MARK, 'POP': POP, 'DUP': DUP,
          'FRAME': FRAME, 'STOP': STOP}
_LARGE_INTS = frozenset({'INT', 'LONG', 'LONG1', 'LONG4'})   # may exceed 64 bits
# The popped items that become dict keys or set members (a step of 2: keys, values alternate).
_KEYS = {'SETITEM': slice(1, 2), 'SETITEMS': slice(None, None, 2), 'DICT': slice(None, None, 2),
         'ADDITEMS': slice(None), 'FROZENSET': slice(None)}
# Opcodes that make no new object: they fill the container below, or push the one empty tuple.
_NOTHING_NEW = frozenset({'APPEND', 'APPENDS', 'SETITEM', 'SETITEMS', 'ADDITEMS', 'BUILD',
                          'EMPTY_TUPLE'})

# What the objects an opcode builds will cost in memory, charged before any is built: a slot
# per opcode (stack, memo or mark, in this pass and again in the unpickler), each new object as
# sys.getsizeof sizes it empty plus its argument's bytes, and each item a container takes in.
# Containers and stand-ins also cost an entry in materialise's table of objects seen (tuples a
# copy too). None, booleans and the empty tuple are shared singletons, built once.
SLOT_BYTES = 8
_SEEN_BYTES = 104
OBJECT_BYTES = {'int': 28, 'int_or_bool': 28, 'float': 24, 'str': 64, 'bytes_or_str': 64,
                'bytes': 40, 'bytearray': 64, 'buffer': 64, 'set': 216, 'frozenset': 216,
                'list': 56 + _SEEN_BYTES, 'dict': 64 + _SEEN_BYTES, 'tuple': 80 + _SEEN_BYTES,
                'any': 256 + _SEEN_BYTES}
ITEM_BYTES = {'list': 16, 'tuple': 16, 'dict': 48, 'set': 72, 'frozenset': 72}


class _Opcode:
    """What the pass needs of one opcode: how its argument is laid out, its stack effect."""
    __slots__ = ('name', 'code', 'size', 'lines', 'length_field', 'signed', 'below_mark', 'pops',
                 'pushes', 'role', 'cost', 'item_cost', 'keys', 'large')

    def __init__(self, op: pickletools.OpcodeInfo):
        self.name, self.code = op.name, ord(op.code)
        layout = op.arg.n if op.arg else 0
        self.size = max(layout, 0)              # a fixed-size argument
        self.lines = 0 if layout != pickletools.UP_TO_NEWLINE else (
            2 if op.arg.name == 'stringnl_noescape_pair' else 1)
        self.length_field = _LENGTH_FIELDS.get(layout)
        self.signed = op.arg is not None and op.arg.name in _SIGNED
        before = op.stack_before
        # Items popped below a MARK (None: no MARK), items popped, types pushed. Marks are
        # kept apart, as the unpickler keeps them; nothing pops below the last one.
        self.below_mark = (before.index(pickletools.markobject)
                           if pickletools.markobject in before else None)
        self.pops = len(before)
        self.pushes = [kind.name for kind in op.stack_after]
        self.role = _ROLES.get(op.name, PUSH if not before and len(self.pushes) == 1
                               and op.name not in _LARGE_INTS else APPLY)
        kind = self.pushes[0] if len(self.pushes) == 1 else None
        builds = self.role in (PUSH, APPLY) and op.name not in _NOTHING_NEW
        self.cost = SLOT_BYTES + (OBJECT_BYTES.get(kind, 0) if builds else 0)
        self.item_cost = ITEM_BYTES.get(kind, 0) if self.role == APPLY else 0
        self.keys = _KEYS.get(op.name)
        self.large = op.name in _LARGE_INTS


# Per byte value: the opcode and, unpacked once per opcode in the pass, its argument's size
# (-1: variable), role and cost.
_ENTRIES = [None] * 256
for _op in map(_Opcode, pickletools.opcodes):
    _ENTRIES[_op.code] = (_op, -1 if _op.length_field or _op.lines else _op.size, _op.role,
                          _op.cost)


def _malformed(reason: str) -> UnsafePickleError:
    return UnsafePickleError(f'not a readable pickle ({reason})')


class _Stack:
    """The unpickler's stack and marks, holding type names."""

    def __init__(self):
        self.items, self.marks = [], []

    def pop(self, count: int) -> list:
        start = len(self.items) - count
        if start < (self.marks[-1] if self.marks else 0):
            raise _malformed('an opcode takes more items than it has')
        popped = self.items[start:]
        del self.items[start:]
        return popped

    def pop_mark(self) -> list:
        if not self.marks:
            raise _malformed('an opcode needs a MARK that is missing')
        start = self.marks.pop()
        popped = self.items[start:]
        del self.items[start:]
        return popped

    def top(self) -> str:
        if len(self.items) <= (self.marks[-1] if self.marks else 0):
            raise _malformed('an opcode needs an item that is missing')
        return self.items[-1]


def kind_of(value) -> str:
    """The name this pass gives the type of ``value``, for checking built values as keys."""
    if type(value) is int and not -INT64 <= value < INT64:
        return 'large int'
    return 'None' if value is None else type(value).__name__


def check_keys(where: str, kinds) -> None:
    """Refuse dict keys or set members of a type whose hashes can be made to collide."""
    for kind in kinds:
        if kind not in KEY_TYPES:
            shown = {'any': 'an object built by a call', 'large int': 'an integer beyond 64 '
                     'bits'}.get(kind, f'a {kind}')
            raise UnsafePickleError(
                f'{where} uses {shown} as a dict key or set member; this loader admits only '
                f'strings, bytes, integers of up to 64 bits, booleans and None there (anything '
                f'else, numpy arrays included, could be crafted to collide)')


def _apply(op: _Opcode, stack: _Stack, large_int: bool) -> int:
    """Pop what ``op`` takes, push what it makes; the bytes its items add to a container."""
    if op.below_mark is None:
        popped = stack.pop(op.pops)
    else:
        popped = stack.pop_mark()
        stack.pop(op.below_mark)
    if op.keys is not None:
        if op.keys.step and len(popped) % 2:
            raise _malformed(f'{op.name} with an odd number of items')
        check_keys(op.name, popped[op.keys])
    stack.items.extend(['large int'] if large_int else op.pushes)
    return op.item_cost * len(popped)


def _text_int(line: bytes) -> int:
    try:
        return int(line.rstrip(b'L'))
    except ValueError:
        raise _malformed(f'{describe(line)} is not a number') from None


def _argument_end(data: bytes, op: _Opcode, start: int) -> int:
    """Where an argument of variable size ends: after its length field and bytes, or lines."""
    if op.length_field:
        width, signed = op.length_field
        length = int.from_bytes(data[start:start + width], 'little', signed=signed)
        if length < 0:
            raise _malformed(f'{op.name} at byte {start - 1} has a negative size')
        return start + width + length
    end = start
    for _ in range(op.lines):
        end = data.find(b'\n', end) + 1
        if not end:
            raise _malformed(f'{op.name} at byte {start - 1} has no end of line')
    return end


def _value(data: bytes, op: _Opcode, start: int, end: int) -> int:
    """The integer an opcode's argument holds (a memo index, a frame size)."""
    if op.lines:
        return _text_int(data[start:end - 1])
    return int.from_bytes(data[start:end], 'little', signed=op.signed)


def _is_large_int(data: bytes, op: _Opcode, start: int, end: int) -> bool:
    if op.length_field:    # LONG1, LONG4: two's complement of this many bytes
        return end - start - op.length_field[0] > 8
    return op.lines and not -INT64 <= _text_int(data[start:end - 1]) < INT64


def check_opcodes(data: bytes, budget: LoadBudget) -> None:
    """Refuse a pickle whose opcodes would make the unpickler allocate or work out of
    proportion to its size, and charge ``budget`` for the objects it will build, refusing as
    soon as they exceed it; the cost is linear in ``len(data)``."""
    stack, memo, position, size = _Stack(), [], 0, len(data)
    items, marks = stack.items, stack.marks
    used, limit = 0, budget.remaining
    while position < size:
        entry = _ENTRIES[data[position]]
        if entry is None:
            raise _malformed(f'unknown opcode {data[position]:#04x} at byte {position}')
        op, fixed_size, role, cost = entry
        start = position + 1
        position = start + fixed_size if fixed_size >= 0 else _argument_end(data, op, start)
        if position > size:
            # CPython allocates what a size field claims before it reads the bytes.
            raise _malformed(f'{op.name} at byte {start - 1} claims more bytes than the file '
                             f'has left (truncated or crafted)')
        used += cost + position - start
        if role == PUSH:
            items.append(op.pushes[0])
        elif role == GET:
            index = _value(data, op, start, position)
            if not 0 <= index < len(memo):
                raise _malformed(f'memo index {describe(index)} is read before it is stored')
            items.append(memo[index])
        elif role == PUT or role == MEMOIZE:
            index = len(memo) if role == MEMOIZE else _value(data, op, start, position)
            if not 0 <= index <= len(memo):
                raise _malformed(f'memo index {describe(index)} skips ahead of the {len(memo)} '
                                 f'stored so far')
            memo[index:index + 1] = [stack.top()]   # a list: 8 bytes an entry, as charged
        elif role == MARK:
            marks.append(len(items))
        elif role == POP and marks and marks[-1] == len(items):
            marks.pop()
        elif role == DUP:
            items.append(stack.top())
        elif role == FRAME:
            if _value(data, op, start, position) > size - position:
                raise _malformed(f'a frame at byte {start - 1} is longer than the rest of the '
                                 f'file')
        elif role == STOP:
            break
        else:
            used += _apply(op, stack, op.large and _is_large_int(data, op, start, position))
        if used > limit:
            break
    else:
        raise _malformed('the data ends before its STOP opcode: truncated?')
    budget.charge(used, 'the objects its opcodes build')
