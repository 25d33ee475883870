namespace Cases;

public class Inventory
{
    private int _reserved;

    public int Available(int stock) => stock - _reserved;
}
