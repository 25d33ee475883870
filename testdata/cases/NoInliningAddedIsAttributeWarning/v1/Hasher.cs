namespace Cases;

public class Hasher
{
    public int Mix(int a, int b)
    {
        return (a * 31) ^ b;
    }
}
