using System;

namespace Golden;

// Inline clones (site format 4): a small method that a direct call always runs, and that a method with a site
// calls directly, gets a site-less clone, and those direct calls name the clone. Final methods count (an interface
// method C# declared non-virtual is `virtual final` in IL: no type can override it), and so do bodies with
// exception handlers, which the .NET 10 JIT inlines. The clone is never virtual and keeps the handlers.
public interface ICursor
{
    char Current { get; }
}

public struct Cursor : ICursor
{
    private string _text;
    private int _index;

    public Cursor(string text) { _text = text; _index = 0; }

    // An interface implementation: `virtual final` in IL, called directly by Scan below.
    public char Current => _index < _text.Length ? _text[_index] : '\0';

    // A non-virtual method called directly.
    public void Next() => _index++;
}

public class Counter
{
    private readonly object _gate = new object();
    private int _count;

    // A body with a try/finally (lock), called directly by AddTwice.
    public int Add(int n)
    {
        lock (_gate)
        {
            _count += n;
            return _count;
        }
    }

    public int AddTwice(int n) => Add(n) + Add(n);

    // Virtual and not final: reached through its slot, so no clone.
    public virtual int Peek() => _count;

    // Small and non-virtual, but nothing in the assembly calls it: no clone.
    public int Reset() { int old = _count; _count = 0; return old; }
}

public static class Scanner
{
    public static int Scan(string text)
    {
        var cursor = new Cursor(text);
        int letters = 0;
        while (cursor.Current != '\0')
        {
            if (char.IsLetter(cursor.Current))
                letters++;
            cursor.Next();
        }
        return letters;
    }

    // Through the interface: the call names ICursor::get_Current and reaches the original, with its site.
    public static char First(ICursor cursor) => cursor.Current;

    public static int Peek(Counter counter) => counter.Peek();
}
