namespace WebShop.Web.Background;

/// <summary>The SKUs the last stock check found due for reorder, as <c>GET /api/stock/reorders</c> shows them.</summary>
public sealed class ReorderBoard
{
    private volatile IReadOnlyList<string> _current = Array.Empty<string>();

    public IReadOnlyList<string> Current => _current;

    public void Publish(IReadOnlyList<string> skus) => _current = skus;
}
