using System;
using System.IO;

namespace Cases;

public sealed class Store : IDisposable
{
    private readonly MemoryStream _buffer = new();

    public void Write(byte value) => _buffer.WriteByte(value);

    void IDisposable.Dispose()
    {
        _buffer.Flush();
        _buffer.Dispose();
    }
}
