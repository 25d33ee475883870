using System.Runtime.InteropServices;

namespace Cases;

public static partial class NativeStrings
{
    [LibraryImport("libc", EntryPoint = "strlen", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial nuint Length(string text);

    // What the LibraryImport source generator would emit (it does not run in this compilation):
    // a managed marshalling stub around a private DllImport.
    public static unsafe partial nuint Length(string text)
    {
        if (text.Length == 0)
            return 0;
        byte* bytes = (byte*)Marshal.StringToCoTaskMemUTF8(text);
        try
        {
            return __PInvoke(bytes);
        }
        finally
        {
            Marshal.FreeCoTaskMem((nint)bytes);
        }

        [DllImport("libc", EntryPoint = "strlen", ExactSpelling = true)]
        static extern unsafe nuint __PInvoke(byte* text);
    }
}
