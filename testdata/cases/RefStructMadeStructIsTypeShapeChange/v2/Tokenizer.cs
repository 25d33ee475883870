using System;

namespace Cases;

public struct Tokenizer
{
    private int _position;

    public Tokenizer(int start) => _position = start;

    public int Next() => ++_position;
}
