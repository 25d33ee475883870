using System;

namespace Cases;

public ref struct Tokenizer
{
    private int _position;

    public Tokenizer(int start) => _position = start;

    public int Next() => _position += 2;
}
