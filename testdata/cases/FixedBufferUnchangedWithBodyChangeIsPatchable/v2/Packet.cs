namespace Cases;

public unsafe struct Packet
{
    public int Length;
    public fixed byte Data[4];

    public byte First() => Data[1];
}
