using System.Buffers;

namespace PatchGen.Diff;

/// <summary>
/// A source text as <see cref="SourceLocator"/> parses it for declarations: the statements inside method, constructor,
/// operator and accessor bodies replaced by spaces, line breaks kept. The locator only reads declarations (members,
/// accessors, types; a declaration is found by its full span, which starts before and ends after the braces), and
/// never looks inside a body (local functions are indexed from the text as it is), so the positions, lines and
/// declarations of the parse are those of the text; but the parser has most of a large generated file's text
/// (Roslyn's syntax files are two-thirds bodies) to skip instead of to parse.
/// </summary>
/// <remarks>
/// A brace is only taken for a body where that is certain from the tokens before it: a <c>{</c> after <c>)</c> whose
/// declaration so far (since the last <c>;</c>, <c>{</c> or <c>}</c>) has no keyword of a type or extension block (a
/// type with a primary constructor, or a constraint such as <c>struct</c>, is left alone), or after an accessor
/// keyword that starts its declaration. Braces inside string and character literals, comments and interpolations are
/// not braces. A file with conditional directives (<c>#if</c>: disabled text need not balance its braces) or anything
/// this scan does not follow (a raw interpolated string, an unterminated literal) is parsed as it is, and so is a body
/// with any directive in it. Wrong in the other direction, a body left unblanked only costs its parsing.
/// </remarks>
internal sealed class MemberBodyBlanker
{
    private readonly string _text;
    private readonly ConditionalDirectives _directives = new();
    private int _position;
    // Expression: an expression body, blanked to "0" rather than to nothing.
    private List<(int Start, int End, bool Expression)>? _bodies;

    private MemberBodyBlanker(string text)
    {
        _text = text;
    }

    /// <summary><paramref name="text"/> with its member bodies blanked, or itself if none can be.</summary>
    public static string Blank(string text)
    {
        var blanker = new MemberBodyBlanker(text);
        if (!blanker.ScanMembers() || blanker._bodies is null)
            return text;
        // Written straight into the new string: the texts are megabytes, and every copy of them is one for the GC.
        return string.Create(text.Length, (Text: text, Bodies: blanker._bodies), static (chars, state) =>
        {
            state.Text.CopyTo(chars);
            foreach (var (start, end, expression) in state.Bodies)
            {
                for (int i = start; i < end; i++)
                {
                    if (!IsLineBreak(chars[i]))
                        chars[i] = ' ';
                }
                if (expression)
                    chars[start] = '0';
            }
        });
    }

    /// <summary>The characters Roslyn ends a line at: kept, so that every line keeps its number and start.</summary>
    private static bool IsLineBreak(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';

    private enum Previous
    {
        Other,
        DeclarationStart, // ';', '{', '}', ']' or the start of the text
        CloseParenthesis,
        Modifier,
        AccessorKeyword,
    }

    /// <summary>The text outside bodies: records each body it can blank. False if the text is not one to blank.</summary>
    private bool ScanMembers()
    {
        var previous = Previous.DeclarationStart;
        bool accessorStartsDeclaration = false, typeKeyword = false;
        int parentheses = 0;
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (char.IsWhiteSpace(c))
            {
                _position++;
                continue;
            }
            switch (SkipTrivia())
            {
                case Trivia.Failed:
                    return false;
                case Trivia.Skipped:
                    continue;
            }
            if (IsWordStart())
            {
                var word = ReadWord();
                if (word is "class" or "struct" or "interface" or "record" or "enum" or "namespace" or "delegate" or "extension")
                    typeKeyword = true;
                if (word is "get" or "set" or "init" or "add" or "remove")
                {
                    accessorStartsDeclaration = previous is Previous.DeclarationStart or Previous.Modifier;
                    previous = Previous.AccessorKeyword;
                }
                else
                {
                    previous = word is "public" or "private" or "protected" or "internal" or "readonly" ? Previous.Modifier : Previous.Other;
                }
                continue;
            }
            if (c is '"' or '\'' or '$' or '@')
            {
                if (!SkipLiteral())
                    return false;
                previous = Previous.Other;
                continue;
            }
            _position++;
            switch (c)
            {
                // In parentheses or brackets (arguments of an attribute, a base type or a call in an initializer), a
                // brace is an expression's: skipped whole, the declaration around it goes on.
                case '{' when parentheses > 0:
                    if (!SkipBlock(out _))
                        return false;
                    previous = Previous.Other;
                    break;
                case '{':
                    if (previous == Previous.CloseParenthesis && !typeKeyword || previous == Previous.AccessorKeyword && accessorStartsDeclaration)
                    {
                        int open = _position;
                        if (!SkipBlock(out bool directives))
                            return false;
                        if (!directives)
                            (_bodies ??= new()).Add((open, _position - 1, false));
                    }
                    previous = Previous.DeclarationStart;
                    typeKeyword = false;
                    break;
                case '}' or ';':
                    previous = Previous.DeclarationStart;
                    typeKeyword = false;
                    break;
                case '(' or '[':
                    parentheses++;
                    previous = Previous.Other;
                    break;
                case ')' or ']':
                    if (--parentheses < 0)
                        return false;
                    previous = c == ')' ? Previous.CloseParenthesis : Previous.DeclarationStart;
                    break;
                case '=' when parentheses == 0 && _position < _text.Length && _text[_position] == '>':
                    _position++;
                    ExpressionBody();
                    previous = Previous.Other;
                    break;
                default:
                    previous = Previous.Other;
                    break;
            }
        }
        return parentheses == 0;
    }

    /// <summary>
    /// After a <c>=&gt;</c> outside parentheses (an expression body, or a lambda in an initializer): the expression is
    /// recorded to be blanked to <c>0</c> if it ends with the <c>;</c> of its line, so that its last token's trailing
    /// trivia still reaches that <c>;</c> and the declaration keeps its full span. Otherwise (a line break, a comment,
    /// an arm of a switch expression or an initializer's member) the text is scanned on as code.
    /// </summary>
    private void ExpressionBody()
    {
        int start = _position, depth = 0;
        while (_position < _text.Length && _text[_position] is ' ' or '\t')
            _position++;
        int expression = _position;
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (IsLineBreak(c) || c is '/' or '#')
                break;
            if (IsWordStart())
            {
                ReadWord();
                continue;
            }
            if (c is '"' or '\'' or '$' or '@')
            {
                if (!SkipLiteral())
                    break;
                continue;
            }
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (--depth < 0)
                    break;
            }
            else if (c == ',' && depth == 0)
            {
                break;
            }
            else if (c == ';' && depth == 0)
            {
                // A verbatim or raw literal can span lines: the whole expression must be on this one.
                if (_position > expression && !_text.AsSpan(expression, _position - expression).ContainsAny(LineBreaks))
                {
                    (_bodies ??= new()).Add((expression, _position, true));
                    return;
                }
                break;
            }
            _position++;
        }
        _position = start;
    }

    /// <summary>What a scan of a block stops at: its braces, and what can start a literal, a comment or a directive.</summary>
    private static readonly SearchValues<char> BlockStops = SearchValues.Create("{}\"'/#@$");

    /// <summary>From just after a <c>{</c> to just after its <c>}</c>; whether a directive is inside.</summary>
    private bool SkipBlock(out bool directives)
    {
        directives = false;
        int depth = 1;
        while (true)
        {
            // Nothing else in a block (words, numbers, operators) changes what is code or where the block ends.
            int next = _text.AsSpan(_position).IndexOfAny(BlockStops);
            if (next < 0)
                return false;
            _position += next;
            char c = _text[_position];
            if (c == '#' && AtLineStart())
                directives = true;
            switch (SkipTrivia())
            {
                case Trivia.Failed:
                    return false;
                case Trivia.Skipped:
                    continue;
            }
            if (c == '@' && IsWordStart())
            {
                _position++; // a verbatim identifier
                continue;
            }
            if (c is '"' or '\'' or '$' or '@')
            {
                if (!SkipLiteral())
                    return false;
                continue;
            }
            _position++;
            if (c == '{')
                depth++;
            else if (c == '}' && --depth == 0)
                return true;
        }
    }

    private enum Trivia
    {
        None,
        Skipped,
        Failed,
    }

    /// <summary>A comment or directive at the position: skipped. A conditional directive fails the whole text.</summary>
    private Trivia SkipTrivia()
    {
        char c = _text[_position];
        if (c == '/' && _position + 1 < _text.Length)
        {
            if (_text[_position + 1] == '/')
            {
                SkipToLineEnd();
                return Trivia.Skipped;
            }
            if (_text[_position + 1] == '*')
            {
                int end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                if (end < 0)
                    return Trivia.Failed;
                _position = end + 2;
                return Trivia.Skipped;
            }
        }
        if (c == '#' && AtLineStart())
        {
            if (!_directives.Apply(DirectiveAt(_position)))
                return Trivia.Failed;
            SkipToLineEnd();
            // Disabled text is not code: the parser reads only its conditional directives, and so does this.
            while (!_directives.Active)
            {
                if (!NextLine())
                    return Trivia.Failed;
                int start = _position;
                while (_position < _text.Length && _text[_position] is ' ' or '\t')
                    _position++;
                if (_position < _text.Length && _text[_position] == '#' && ConditionalDirectives.IsConditional(DirectiveAt(_position)))
                {
                    if (!_directives.Apply(DirectiveAt(_position)))
                        return Trivia.Failed;
                }
                else
                {
                    _position = start;
                }
                SkipToLineEnd();
            }
            return Trivia.Skipped;
        }
        return Trivia.None;
    }

    /// <summary>The directive at a '#': the rest of its line.</summary>
    private ReadOnlySpan<char> DirectiveAt(int hash)
    {
        int end = hash + 1;
        while (end < _text.Length && !IsLineBreak(_text[end]))
            end++;
        return _text.AsSpan(hash + 1, end - hash - 1);
    }

    /// <summary>From a line's end to the start of the next line; false at the end of the text.</summary>
    private bool NextLine()
    {
        if (_position >= _text.Length)
            return false;
        if (_text[_position] == '\r' && _position + 1 < _text.Length && _text[_position + 1] == '\n')
            _position++;
        _position++;
        return _position < _text.Length;
    }

    private bool AtLineStart()
    {
        for (int i = _position - 1; i >= 0 && !IsLineBreak(_text[i]); i--)
        {
            if (!char.IsWhiteSpace(_text[i]))
                return false;
        }
        return true;
    }

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\u0085\u2028\u2029");

    private void SkipToLineEnd()
    {
        int end = _text.AsSpan(_position).IndexOfAny(LineBreaks);
        _position = end < 0 ? _text.Length : _position + end;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>An identifier, keyword or number at the position, or a verbatim identifier (<c>@class</c>).</summary>
    private bool IsWordStart()
        => IsIdentifierStart(_text[_position]) || _text[_position] == '@' && _position + 1 < _text.Length && IsIdentifierStart(_text[_position + 1]);

    /// <summary>An identifier, keyword or number (a verbatim identifier's '@' kept, so that <c>@class</c> is no keyword).</summary>
    private ReadOnlySpan<char> ReadWord()
    {
        int start = _position;
        if (_text[_position] == '@')
            _position++;
        while (_position < _text.Length && (IsIdentifierStart(_text[_position]) || _text[_position] == '\\'))
            _position++;
        return _text.AsSpan(start, _position - start);
    }

    /// <summary>A string or character literal at the position (<c>"</c>, <c>'</c>, <c>@"</c>, <c>$"</c>, <c>$@"</c>, <c>@$"</c>, raw).</summary>
    private bool SkipLiteral()
    {
        int start = _position;
        bool verbatim = false, interpolated = false;
        while (_position < _text.Length && _text[_position] is '@' or '$')
        {
            verbatim |= _text[_position] == '@';
            if (_text[_position] == '$')
            {
                if (interpolated)
                    return false; // $$"""...""": raw interpolation, not followed here
                interpolated = true;
            }
            _position++;
        }
        if (_position >= _text.Length)
            return false;
        if (_text[_position] == '\'')
            return _position == start && SkipCharacter();
        if (_text[_position] != '"')
        {
            // '@' or '$' not before a literal: not code this scan knows (an '@' identifier is read as a word).
            return false;
        }
        if (_text.AsSpan(_position).StartsWith("\"\"\""))
            return !interpolated && !verbatim && SkipRaw();
        _position++;
        while (_position < _text.Length)
        {
            char c = _text[_position++];
            if (c == '"')
            {
                if (verbatim && _position < _text.Length && _text[_position] == '"')
                {
                    _position++;
                    continue;
                }
                return true;
            }
            if (c == '\\' && !verbatim)
            {
                _position++;
                continue;
            }
            if (IsLineBreak(c) && !verbatim)
                return false;
            if (interpolated && c == '{')
            {
                if (_position < _text.Length && _text[_position] == '{')
                {
                    _position++;
                    continue;
                }
                if (!SkipInterpolation())
                    return false;
            }
        }
        return false;
    }

    private bool SkipCharacter()
    {
        _position++;
        while (_position < _text.Length)
        {
            char c = _text[_position++];
            if (c == '\\')
                _position++;
            else if (c == '\'')
                return true;
            else if (IsLineBreak(c))
                return false;
        }
        return false;
    }

    /// <summary>A raw string literal (three or more quotes, closed by as many).</summary>
    private bool SkipRaw()
    {
        int quotes = 0;
        while (_position < _text.Length && _text[_position] == '"')
        {
            quotes++;
            _position++;
        }
        int end = _text.IndexOf(new string('"', quotes), _position, StringComparison.Ordinal);
        if (end < 0)
            return false;
        _position = end + quotes;
        return true;
    }

    /// <summary>
    /// An interpolation, from just after its <c>{</c> to just after its <c>}</c>: code (with its own braces and literals)
    /// up to a ':' outside parentheses, which starts the format (text up to the <c>}</c>).
    /// </summary>
    private bool SkipInterpolation()
    {
        int braces = 0, parentheses = 0;
        while (_position < _text.Length)
        {
            char c = _text[_position];
            switch (SkipTrivia())
            {
                case Trivia.Failed:
                    return false;
                case Trivia.Skipped:
                    continue;
            }
            if (c is '"' or '\'' or '$' or '@' && !IsWordStart())
            {
                if (!SkipLiteral())
                    return false;
                continue;
            }
            _position++;
            switch (c)
            {
                case '(' or '[':
                    parentheses++;
                    break;
                case ')' or ']':
                    parentheses--;
                    break;
                case '{':
                    braces++;
                    break;
                case '}' when braces == 0:
                    return true;
                case '}':
                    braces--;
                    break;
                case ':' when braces == 0 && parentheses == 0:
                    if (_position < _text.Length && _text[_position] == ':')
                    {
                        _position++; // an alias qualifier, global::
                        break;
                    }
                    int close = _text.IndexOf('}', _position);
                    if (close < 0)
                        return false;
                    _position = close + 1;
                    return true;
            }
        }
        return false;
    }
}
