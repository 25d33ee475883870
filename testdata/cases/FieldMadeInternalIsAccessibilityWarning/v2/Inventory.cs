namespace Cases;

public class Inventory
{
    internal int _reserved;

    public int Available(int stock) => stock - _reserved;
}
