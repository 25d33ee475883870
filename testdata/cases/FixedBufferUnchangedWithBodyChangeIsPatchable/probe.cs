// First() reads byte 0 of the fixed buffer in v1, byte 1 in v2.
public static class Probe
{
    public static unsafe string Run()
    {
        var packet = new Cases.Packet();
        packet.Data[0] = 3;
        packet.Data[1] = 5;
        return packet.First().ToString();
    }
}
