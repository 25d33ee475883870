namespace Cases;

public static class Paging
{
    public static int PageCount(int total, int pageSize = 20, bool includePartial = true)
    {
        var pages = total / pageSize;
        return includePartial && total % pageSize != 0 ? pages + 1 : pages;
    }
}
