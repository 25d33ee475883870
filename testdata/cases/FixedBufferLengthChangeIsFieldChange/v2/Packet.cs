namespace Cases;

public unsafe struct Packet
{
    public int Length;
    public fixed byte Data[8];

    public byte First() => Data[0];
}
