namespace Cases;

public static class Paging
{
    private static readonly int MaxItems = PageSize * 4;
    private static readonly int PageSize = 25;

    public static int Pages(int items) => (System.Math.Min(items, MaxItems) + PageSize - 1) / PageSize;
}
