// Disposes a Store through IDisposable after putting a recording MemoryStream into its private _buffer
// (reflection): v2's Dispose flushes the buffer before disposing it, v1 only disposes it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

public static class Probe
{
    private sealed class RecordingStream : MemoryStream
    {
        public readonly List<string> Log = new();

        public override void Flush()
        {
            Log.Add("flush");
            base.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            Log.Add("dispose");
            base.Dispose(disposing);
        }
    }

    public static string Run()
    {
        var store = new Cases.Store();
        var buffer = new RecordingStream();
        typeof(Cases.Store).GetField("_buffer", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(store, buffer);
        store.Write(42);
        ((IDisposable)store).Dispose();
        return string.Join(",", buffer.Log) + " length " + buffer.ToArray().Length;
    }
}
