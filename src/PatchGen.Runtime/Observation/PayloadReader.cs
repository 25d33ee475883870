using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// Sequential reader of an EventPipe payload: little-endian primitives packed without padding, and
/// strings as NUL-terminated UTF-16. Every read is bounds-checked and answers false past the end, so a
/// short (older-version or damaged) payload is never read out of range.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public PayloadReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly int Remaining => _data.Length - _pos;

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (Remaining < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (Remaining < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        return true;
    }

    public bool TryReadInt32(out int value)
    {
        bool ok = TryReadUInt32(out uint raw);
        value = (int)raw;
        return ok;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (Remaining < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16LittleEndian(_data[_pos..]);
        _pos += 2;
        return true;
    }

    public bool TrySkip(int count)
    {
        if (count < 0 || Remaining < count)
        {
            return false;
        }

        _pos += count;
        return true;
    }

    /// <summary>A NUL-terminated UTF-16 string; false if no terminator is found.</summary>
    public bool TryReadString(out string value)
    {
        value = string.Empty;
        ReadOnlySpan<byte> rest = _data[_pos..];
        for (int i = 0; i + 1 < rest.Length; i += 2)
        {
            if (rest[i] == 0 && rest[i + 1] == 0)
            {
                value = i == 0 ? string.Empty : new string(MemoryMarshal.Cast<byte, char>(rest[..i]));
                _pos += i + 2;
                return true;
            }
        }

        return false;
    }
}
