// Uploads with the private _active counter preset to -5 (reflection) and reads it back: v1's finally
// decrements it to -5 again, v2's clamps it at 0.
using System.Globalization;
using System.IO;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var active = typeof(Cases.Uploader).GetField("_active", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var uploader = new Cases.Uploader();
        long first = uploader.UploadAsync(new MemoryStream(new byte[] { 1, 2, 3 }), new MemoryStream()).GetAwaiter().GetResult();
        int afterFirst = (int)active.GetValue(uploader)!;
        active.SetValue(uploader, -5);
        long second = uploader.UploadAsync(new MemoryStream(new byte[] { 4, 5 }), new MemoryStream()).GetAwaiter().GetResult();
        int afterSecond = (int)active.GetValue(uploader)!;
        return string.Join(" ", first.ToString(CultureInfo.InvariantCulture), afterFirst.ToString(CultureInfo.InvariantCulture),
            second.ToString(CultureInfo.InvariantCulture), afterSecond.ToString(CultureInfo.InvariantCulture));
    }
}
