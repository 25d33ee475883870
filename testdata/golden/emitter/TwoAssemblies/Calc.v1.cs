namespace Multi;

public static class Calc
{
    public static int Units(int cents) => cents / 100;
}
