namespace Cases;

public class Grid
{
    private readonly int[] _cells = new int[100];

    public int this[int index]
    {
        get => index < _cells.Length ? _cells[index] : 0;
        set => _cells[index] = value;
    }
}
