namespace Cases;

public static class Paging
{
    private static readonly int PageSize = 25;

    public static int Pages(int items) => (items + PageSize - 1) / PageSize;
}
