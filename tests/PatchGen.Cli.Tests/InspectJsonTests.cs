using PatchGen.Emit;

namespace PatchGen.Cli.Tests;

/// <summary>
/// The bytes of <c>inspect --json</c> for every shape a patch description can take (signed or not,
/// verified or not, with system states, callbacks and shipped types, and text that needs escaping).
/// A real patch rarely has all of them at once; the rendering must not change for any.
/// </summary>
public class InspectJsonTests
{
    private static readonly PatchDescription Full = new(
        "/srv/patches/fix & more+\u00e9.dll",
        "Shop.Patch.fix",
        new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
        "fix'1",
        "Shop",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        Cumulative: true,
        SystemStates: new[] { (1, 2), (30, 4) },
        Replaces: new[]
        {
            new PatchReplacement("M:Shop.Cart.Total(System.Collections.Generic.List{System.Int32})", 17, "Shop.Cart::Total"),
            new PatchReplacement("M:Shop.Cart`1.<Map>g__Local|3_0``1(``0)", 18, "Shop.Cart`1::<Map>g__Local|3_0"),
        },
        Callbacks: new[] { ("PostPatch", "Shop.Fix::After"), ("PreUnpatch", "Shop.Fix::<Before>") },
        ShippedTypes: new[] { "Shop.Rounding", "Shop.Cart/<>c__DisplayClass3_0" },
        Signature: new PatchSignature(true, "0123456789abcdef", false, "the signature does not verify: \"bad\"\tblob\n"));

    [Fact]
    public void EveryPartOfAPatchIsWrittenAsBefore()
    {
        const string Expected = """
            {
              "schema": 1,
              "path": "/srv/patches/fix \u0026 more\u002B\u00E9.dll",
              "id": "fix\u00271",
              "assembly": "Shop.Patch.fix",
              "mvid": "0f8fad5b-d9cb-469f-a165-70867728950e",
              "base": {
                "name": "Shop",
                "mvid": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
              },
              "cumulative": true,
              "signature": {
                "signed": true,
                "publicKeyToken": "0123456789abcdef",
                "valid": false,
                "problem": "the signature does not verify: \u0022bad\u0022\tblob\n"
              },
              "systemStates": [
                {
                  "id": 1,
                  "version": 2
                },
                {
                  "id": 30,
                  "version": 4
                }
              ],
              "replaces": [
                {
                  "member": "M:Shop.Cart.Total(System.Collections.Generic.List{System.Int32})",
                  "site": 17,
                  "replacement": "Shop.Cart::Total"
                },
                {
                  "member": "M:Shop.Cart\u00601.\u003CMap\u003Eg__Local|3_0\u0060\u00601(\u0060\u00600)",
                  "site": 18,
                  "replacement": "Shop.Cart\u00601::\u003CMap\u003Eg__Local|3_0"
                }
              ],
              "callbacks": [
                {
                  "kind": "PostPatch",
                  "method": "Shop.Fix::After"
                },
                {
                  "kind": "PreUnpatch",
                  "method": "Shop.Fix::\u003CBefore\u003E"
                }
              ],
              "types": [
                "Shop.Rounding",
                "Shop.Cart/\u003C\u003Ec__DisplayClass3_0"
              ]
            }

            """;
        Assert.Equal(Expected, InspectCommand.ToJson(Full));
    }

    [Fact]
    public void AnUnsignedPatchWithNothingButReplacementsIsWrittenAsBefore()
    {
        var bare = Full with
        {
            Signature = new PatchSignature(false, null, null, null),
            SystemStates = Array.Empty<(int, int)>(),
            Callbacks = Array.Empty<(string, string)>(),
            ShippedTypes = Array.Empty<string>(),
        };
        const string Expected = """
            {
              "schema": 1,
              "path": "/srv/patches/fix \u0026 more\u002B\u00E9.dll",
              "id": "fix\u00271",
              "assembly": "Shop.Patch.fix",
              "mvid": "0f8fad5b-d9cb-469f-a165-70867728950e",
              "base": {
                "name": "Shop",
                "mvid": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
              },
              "cumulative": true,
              "signature": {
                "signed": false,
                "publicKeyToken": null,
                "valid": null,
                "problem": null
              },
              "systemStates": [],
              "replaces": [
                {
                  "member": "M:Shop.Cart.Total(System.Collections.Generic.List{System.Int32})",
                  "site": 17,
                  "replacement": "Shop.Cart::Total"
                },
                {
                  "member": "M:Shop.Cart\u00601.\u003CMap\u003Eg__Local|3_0\u0060\u00601(\u0060\u00600)",
                  "site": 18,
                  "replacement": "Shop.Cart\u00601::\u003CMap\u003Eg__Local|3_0"
                }
              ],
              "callbacks": [],
              "types": []
            }

            """;
        Assert.Equal(Expected, InspectCommand.ToJson(bare));
    }
}
