namespace Cases;

public static class Checksum
{
    public static uint Adler32(uint adler, byte[] buffer, uint length)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        for (int i = 0; i < length; i++)
        {
            a = (a + buffer[i]) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }
}
