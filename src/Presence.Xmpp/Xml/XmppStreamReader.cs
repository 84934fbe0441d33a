using System.Xml;
using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Xml;

/// <summary>
/// Reads an XMPP stream one stanza at a time (RFC 6120 §4, docs/ARCHITECTURE.md §7) with an async <see cref="XmlReader"/>
/// in fragment conformance: the stream header is an unclosed root read as a start element, then each depth-1
/// element is built into an <see cref="XElement"/> node by node (never <c>ReadOuterXml</c>/<c>XNode.ReadFrom</c>,
/// which read past the stanza and block on a live socket). DTDs are prohibited and no resolver is used, so
/// entity expansion and external entities are refused; stanza size and depth are bounded by <see cref="XmlStreamLimits"/>.
/// Not thread-safe: one reading loop per stream.
/// </summary>
public sealed class XmppStreamReader : IDisposable
{
    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        ConformanceLevel = ConformanceLevel.Fragment,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CheckCharacters = true,
        CloseInput = false,
        MaxCharactersFromEntities = 1024,
    };

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";
    private readonly MeteredStream _input;
    private readonly XmlReader _reader;
    private readonly XmlStreamLimits _limits;
    private bool _headerRead;
    private string? _lastNamespaceUri; // the parser's name table atomises namespace strings: cache the last XNamespace
    private XNamespace? _lastNamespace;
    private bool _ended;

    /// <summary>Creates a reader over the socket stream.</summary>
    /// <param name="stream">The connection's stream (not disposed by this reader).</param>
    /// <param name="limits">Limits, or <c>null</c> for <see cref="XmlStreamLimits.Default"/>.</param>
    /// <param name="cancellationToken">Cancels every pending read (the connection's lifetime).</param>
    public XmppStreamReader(Stream stream, XmlStreamLimits? limits = null, CancellationToken cancellationToken = default)
    {
        _limits = limits ?? XmlStreamLimits.Default;
        _input = new MeteredStream(stream, (long)_limits.MaxStanzaBytes + XmlStreamLimits.ReadAheadSlack, cancellationToken);
        _reader = XmlReader.Create(_input, Settings);
    }

    /// <summary>Reads the peer's <c>&lt;stream:stream&gt;</c> header (after an optional XML declaration).</summary>
    /// <exception cref="XmppProtocolException">The first element is not a stream header, or the XML is not well-formed.</exception>
    /// <exception cref="EndOfStreamException">The connection closed before the header.</exception>
    public async Task<StreamHeader> ReadHeaderAsync()
    {
        if (_headerRead) throw new InvalidOperationException("The stream header was already read.");
        while (true)
        {
            if (!await ReadNodeAsync().ConfigureAwait(false)) throw new EndOfStreamException("The server closed the connection before sending a stream header.");
            if (_reader.NodeType != XmlNodeType.Element) continue;
            if (_reader.LocalName != "stream" || _reader.NamespaceURI != Namespaces.Streams.NamespaceName)
                throw new XmppProtocolException($"Expected a stream header <stream:stream>, got <{_reader.Name}> in '{_reader.NamespaceURI}'.");
            var header = new StreamHeader(_reader.GetAttribute("id"), _reader.GetAttribute("from"), _reader.LookupNamespace(string.Empty) ?? "");
            _headerRead = true;
            _input.Mark();
            if (_reader.IsEmptyElement) _ended = true;
            return header;
        }
    }

    /// <summary>
    /// Reads the next stanza (a complete depth-1 element, including a <c>&lt;stream:error/&gt;</c>).
    /// </summary>
    /// <returns>The stanza, or <c>null</c> when the peer closed the stream (<c>&lt;/stream:stream&gt;</c>).</returns>
    /// <exception cref="XmppProtocolException">Not well-formed XML, a DTD, a limit exceeded, or text at stream level.</exception>
    /// <exception cref="EndOfStreamException">The connection closed without closing the stream (inside or between stanzas).</exception>
    public async ValueTask<XElement?> ReadStanzaAsync()
    {
        if (!_headerRead) throw new InvalidOperationException("Read the stream header first.");
        while (!_ended)
        {
            if (!await ReadNodeAsync().ConfigureAwait(false)) { _ended = true; return null; }
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element when _reader.Depth == 1:
                    var stanza = await ReadElementAsync().ConfigureAwait(false);
                    _input.Mark();
                    return stanza;
                case XmlNodeType.EndElement when _reader.Depth == 0:
                    _ended = true;
                    return null;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    _input.Mark(); // whitespace keepalive between stanzas (RFC 6120 §4.6.1)
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    throw new XmppProtocolException("Text is not allowed between stanzas.");
            }
        }
        return null;
    }

    private async ValueTask<XElement> ReadElementAsync()
    {
        long chars = 0;
        var root = CreateElement(ref chars);
        if (_reader.IsEmptyElement) return root;
        var current = root;
        while (true)
        {
            if (!await ReadNodeAsync().ConfigureAwait(false)) throw new EndOfStreamException("The connection closed in the middle of a stanza.");
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (_reader.Depth >= _limits.MaxDepth)
                        throw new XmppProtocolException($"A stanza is nested deeper than the limit of {_limits.MaxDepth} elements.");
                    var child = CreateElement(ref chars);
                    current.Add(child);
                    if (!_reader.IsEmptyElement) current = child;
                    break;
                case XmlNodeType.EndElement:
                    if (ReferenceEquals(current, root)) return root;
                    current = current.Parent!;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    var text = await _reader.GetValueAsync().ConfigureAwait(false);
                    chars += text.Length;
                    CheckChars(chars);
                    current.Add(new XText(text));
                    break;
            }
        }
    }

    private XElement CreateElement(ref long chars)
    {
        var ns = _reader.NamespaceURI;
        if (!ReferenceEquals(ns, _lastNamespaceUri)) { _lastNamespace = XNamespace.Get(ns); _lastNamespaceUri = ns; }
        var element = new XElement(_lastNamespace!.GetName(_reader.LocalName));
        chars += _reader.LocalName.Length;
        if (_reader.MoveToFirstAttribute())
        {
            do
            {
                var attributeNs = _reader.NamespaceURI;
                if (ReferenceEquals(attributeNs, XmlnsNamespace) || attributeNs == XmlnsNamespace) continue; // declarations: XName carries the namespace
                var value = _reader.Value;
                chars += _reader.LocalName.Length + value.Length;
                // the parser already refused duplicate attributes, so Add (no search) is safe
                element.Add(new XAttribute(attributeNs.Length == 0 ? XNamespace.None.GetName(_reader.LocalName) : XNamespace.Get(attributeNs).GetName(_reader.LocalName), value));
            }
            while (_reader.MoveToNextAttribute());
            _reader.MoveToElement();
        }
        CheckChars(chars);
        return element;
    }

    private void CheckChars(long chars)
    {
        if (chars > _limits.MaxStanzaBytes)
            throw new XmppProtocolException($"A stanza exceeded the limit of {_limits.MaxStanzaBytes} characters.");
    }

    private async ValueTask<bool> ReadNodeAsync()
    {
        try
        {
            return await _reader.ReadAsync().ConfigureAwait(false);
        }
        catch (XmlException ex) when (_input.EndOfInput)
        {
            throw new EndOfStreamException("The peer closed the connection without closing the stream.", ex);
        }
        catch (XmlException ex)
        {
            throw new XmppProtocolException($"The stream is not acceptable XML: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Disposes the parser (not the underlying stream). Safe while a read is still pending on a connection that is
    /// being torn down: the parser then refuses to be disposed, and is left to the garbage collector.
    /// </summary>
    public void Dispose()
    {
        try { _reader.Dispose(); }
        catch (InvalidOperationException) { } // "An asynchronous operation is already in progress": the pending read fails with the closed stream
    }
}
