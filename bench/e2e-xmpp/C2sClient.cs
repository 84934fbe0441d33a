using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace Presence.Bench.E2eXmpp;

/// <summary>
/// A minimal client-to-server session for load: plain TCP (no TLS), SASL PLAIN (RFC 6120 §6, RFC 4616), resource
/// binding, then raw stanzas. It reads with substring markers instead of an XML parser — enough for a known server
/// in a benchmark, not a general client. Subscription requests from the component are approved and pings answered.
/// </summary>
public sealed partial class C2sClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private NetworkStream _stream = null!;
    private readonly byte[] _buffer = new byte[16384];
    private readonly StringBuilder _pending = new();
    private Task? _readLoop;
    private readonly string _domain;

    /// <summary>Called with every chunk of text received after reading started, with its Stopwatch timestamp.</summary>
    public Action<string, long>? OnText { get; set; }

    /// <summary>The bare JID.</summary>
    public string BareJid { get; }

    /// <summary>The full JID after binding.</summary>
    public string FullJid { get; private set; } = "";

    /// <summary>The component JID whose subscription requests are approved.</summary>
    public string? ApproveFrom { get; init; }

    public C2sClient(string user, string domain)
    {
        BareJid = user + "@" + domain;
        _domain = domain;
    }

    /// <summary>Connects, authenticates with PLAIN and binds <paramref name="resource"/>.</summary>
    public async Task ConnectAsync(string host, int port, string password, string resource, CancellationToken ct)
    {
        await _tcp.ConnectAsync(host, port, ct);
        _stream = _tcp.GetStream();
        await OpenStreamAsync(ct);
        await ReadUntilAsync("</stream:features>", ct);
        var user = BareJid.Split('@')[0];
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password));
        await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{auth}</auth>", ct);
        var answer = await ReadUntilAnyAsync(["<success", "</failure>"], ct);
        if (!answer.Contains("<success")) throw new InvalidOperationException($"{BareJid}: SASL failed: {answer}");
        _pending.Clear();
        await OpenStreamAsync(ct);
        await ReadUntilAsync("</stream:features>", ct);
        await SendAsync($"<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{SecurityElement.Escape(resource)}</resource></bind></iq>", ct);
        var bound = await ReadUntilAsync("</iq>", ct);
        var jid = BindRegex().Match(bound);
        if (!jid.Success) throw new InvalidOperationException($"{BareJid}: bind failed: {bound}");
        FullJid = jid.Groups[1].Value;
        _pending.Clear();
    }

    /// <summary>Starts the background reader (approves subscriptions, answers pings, forwards text).</summary>
    public void StartReading() => _readLoop = Task.Run(ReadLoopAsync);

    /// <summary>Sends raw XML.</summary>
    public async Task SendAsync(string xml, CancellationToken ct = default)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        await _stream.WriteAsync(bytes, ct);
    }

    /// <summary>Available presence with <paramref name="show"/> (null = online) and priority.</summary>
    public Task SendPresenceAsync(string? show, int priority, string status) =>
        SendAsync($"<presence>{(show is null ? "" : $"<show>{show}</show>")}<priority>{priority}</priority><status>{SecurityElement.Escape(status)}</status></presence>");

    private Task OpenStreamAsync(CancellationToken ct) =>
        SendAsync($"<?xml version='1.0'?><stream:stream to='{_domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>", ct);

    private async Task<string> ReadUntilAsync(string marker, CancellationToken ct) => await ReadUntilAnyAsync([marker], ct);

    private async Task<string> ReadUntilAnyAsync(string[] markers, CancellationToken ct)
    {
        while (true)
        {
            var text = _pending.ToString();
            if (markers.Any(m => text.Contains(m, StringComparison.Ordinal))) return text;
            var n = await _stream.ReadAsync(_buffer, ct);
            if (n == 0) throw new IOException($"{BareJid}: connection closed; got: {text}");
            _pending.Append(Encoding.UTF8.GetString(_buffer, 0, n));
        }
    }

    private async Task ReadLoopAsync()
    {
        var carry = "";
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[_buffer.Length];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(_buffer);
                if (n == 0) return;
                var at = System.Diagnostics.Stopwatch.GetTimestamp();
                var count = decoder.GetChars(_buffer, 0, n, chars, 0);
                var fresh = new string(chars, 0, count);
                OnText?.Invoke(fresh, at);
                var text = carry + fresh;
                foreach (Match tag in StartTagRegex().Matches(text))
                {
                    var attrs = Attributes(tag.Value);
                    if (tag.Groups[1].Value == "presence" && attrs.GetValueOrDefault("type") == "subscribe"
                        && ApproveFrom is not null && attrs.GetValueOrDefault("from")?.Split('/')[0] == ApproveFrom)
                        await SendAsync($"<presence type='subscribed' to='{ApproveFrom}'/>");
                    else if (tag.Groups[1].Value == "iq" && attrs.GetValueOrDefault("type") == "get"
                        && text.AsSpan(tag.Index + tag.Length).StartsWith("<ping xmlns='urn:xmpp:ping'") | text.AsSpan(tag.Index + tag.Length).StartsWith("<ping xmlns=\"urn:xmpp:ping\""))
                        await SendAsync($"<iq type='result' id='{attrs.GetValueOrDefault("id")}' to='{attrs.GetValueOrDefault("from")}'/>");
                }
                // Keep a tail so that markers split across reads are still seen (matches are idempotent enough for a bench).
                carry = text.Length > 400 ? text[^400..] : text;
                carry = carry[(carry.LastIndexOf('>') + 1)..];
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
    }

    [GeneratedRegex("<jid>([^<]+)</jid>")]
    private static partial Regex BindRegex();

    [GeneratedRegex("<(presence|iq)\\b[^>]*>")]
    private static partial Regex StartTagRegex();

    [GeneratedRegex("([a-z:]+)=['\"]([^'\"]*)['\"]")]
    private static partial Regex AttributeRegex();

    private static Dictionary<string, string> Attributes(string tag)
    {
        var result = new Dictionary<string, string>();
        foreach (Match m in AttributeRegex().Matches(tag)) result[m.Groups[1].Value] = m.Groups[2].Value;
        return result;
    }

    /// <summary>Closes the stream and the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await SendAsync("</stream:stream>"); } catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NullReferenceException) { }
        _tcp.Dispose();
        if (_readLoop is not null) await _readLoop;
    }
}
