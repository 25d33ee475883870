// v1 takes any six characters after a known prefix and keeps no statistics; v2 checks the pattern
// with a new static Regex, remembers every SKU in a new static dictionary and counts rejections in a
// new static counter (through ldsflda: Interlocked, Volatile). The repeated SKU is answered from the
// dictionary and not counted twice.
public static class Probe
{
    public static string Run()
        => string.Join(" ", Cases.SkuValidator.IsValid("AB1234"), Cases.SkuValidator.IsValid("AB12x4"), Cases.SkuValidator.IsValid("XY1234"),
            Cases.SkuValidator.IsValid("AB12x4")) + " | " + Cases.SkuValidator.Stats();
}
