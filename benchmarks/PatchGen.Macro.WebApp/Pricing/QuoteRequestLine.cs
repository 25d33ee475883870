namespace PatchGen.Macro.WebApp.Pricing;

public sealed record QuoteRequestLine(string Sku, int Quantity);
