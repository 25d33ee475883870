using System;

namespace Cases;

public static class Protocol
{
    public static ReadOnlySpan<byte> Greeting() => "HELLO v2\r\n"u8;

    public static ReadOnlySpan<byte> Bye() => "BYE\r\n"u8;
}
