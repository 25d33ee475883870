namespace Cases;

public class Grid
{
    private readonly int[] _cells = new int[100];

    public int this[int index]
    {
        get => _cells[index];
        set => _cells[index] = value;
    }
}
