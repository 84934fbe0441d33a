using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.TestHost;
using Xunit.Abstractions;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Fuzz.HostileJson;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests.Fuzz;

/// <summary>
/// Seeded fuzzing of every request input (issue 9 §2): 12,000 hostile requests (compat, REST and hub frames), generated
/// by CsCheck from fixed PCG seeds so every run sends the same ones. No answer is a 5xx or an unexpected hub error, no
/// user but the caller changes, and memory stays bounded.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const string Caller = "fuzz@example.com";
    private const int Workers = 4;
    private const int CompatCases = 4_000;
    private const int RestCases = 4_000;
    private const int HubCases = 4_000;
    private static readonly string[] Others = ["other0@example.com", "other1@example.com", "other2@example.com"];

    private sealed record HttpCase(string Method, string Path, string? Authorization, Func<string, byte[]> Damage, string Body)
    {
        public override string ToString() => $"{Method} {Path} auth={Authorization?.Length} body={(Body.Length > 300 ? Body[..300] + "…" : Body)}";
    }

    private static Gen<string> UserText { get; } = Gen.Frequency(
        (4, Gen.Const(Caller)),
        (2, Pick(Others)),
        (1, Gen.Const("FUZZ@Example.COM")),
        (3, AnyString));

    private static Gen<string> ProtocolText { get; } = Gen.Frequency(
        (4, Gen.Const("spreed")), (1, Gen.Const("xmpp")), (1, Gen.Const("overall")), (2, Gen.String[Gen.Char, 1, 40].Select(Literal)));

    private static Gen<string> StatusObject { get; } = Gen.Select(
        Gen.Frequency((4, Pick("\"available\"", "\"busy\"", "\"away\"", "\"unavailable\"")), (2, AnyValue)),
        Gen.Frequency((3, Gen.Const("\"hello\"")), (3, AnyValue), (1, Gen.Const("<absent>"))),
        (status, message) => message == "<absent>" ? $"{{\"status\": {status}}}" : $"{{\"status\": {status}, \"message\": {message}}}");

    private static Gen<string> CompatEntry { get; } = Gen.Select(UserText, Gen.Select(ProtocolText, StatusObject, (p, v) => $"{p}: {v}").Array[0, 2],
        (user, protocols) => $"{{\"user_id\": {Literal2(user)}{string.Concat(protocols.Select(p => ", " + p))}}}");

    /// <summary>A literal for a value that may already be JSON text (from <see cref="HostileJson.AnyString"/>).</summary>
    private static string Literal2(string text) => text.StartsWith('"') ? text : Literal(text);

    private static Gen<string> TokenValue(string token) => Gen.Frequency(
        (8, Gen.Const(Literal(token))), (1, Gen.Const(Literal(" " + token + "\n"))), (1, AnyValue));

    private static Gen<HttpCase> CompatCase(string token) => Gen.Select(
        Pick("GET", "PUT", "POST"), TokenValue(token), Gen.Frequency((9, Gen.Const("\"UserStatus\"")), (1, AnyValue)),
        CompatEntry.Array[0, 3], Damage,
        (method, t, type, entries, damage) => new HttpCase(method, "/presence", null, damage,
            $"{{\"AuthenticationToken\": {t}, \"Type\": {type}, \"UserStatus\": [{string.Join(", ", entries)}]}}"));

    private static string PathSegment(string jsonLiteralOrText)
    {
        var text = jsonLiteralOrText.StartsWith('"') ? jsonLiteralOrText[1..^1] : jsonLiteralOrText;
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text)) sb.Append(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'@' or (byte)'-' ? ((char)b).ToString() : $"%{b:X2}");
        return sb.ToString();
    }

    private static Gen<HttpCase> RestCase(string token) => Gen.Frequency(
        (5, Gen.Select(UserText, ProtocolText, StatusObject, Damage, Gen.Frequency((8, Gen.Const<string?>("Bearer " + token)), (1, Gen.Const<string?>("Bearer  " + token + " ")), (1, Gen.String[Gen.Char.AlphaNumeric, 0, 30].Select(s => (string?)s))),
            (user, protocol, body, damage, auth) => new HttpCase("PUT", $"/api/v1/presence/{PathSegment(user)}/{PathSegment(protocol)}", auth, damage, body))),
        (2, UserText.Array[0, 4].Select(users => new HttpCase("GET", "/api/v1/presence?" + string.Join("&", users.Select(u => "user=" + PathSegment(u))), "Bearer " + token, s => [], ""))),
        (1, Gen.Select(UserText, AnyString, Gen.String[Gen.Char.AlphaNumeric, 0, 12], (user, from, limit) =>
            new HttpCase("GET", $"/api/v1/presence/{PathSegment(user)}/history?from={PathSegment(from)}&limit={limit}", "Bearer " + token, s => [], ""))));

    private static Gen<(Func<string, byte[]> Damage, string Frame)> HubFrame { get; } = Gen.Select(
        Gen.Frequency(
            (5, UserText.Array[0, 5].Select(users => $"[[{string.Join(", ", users.Select(Literal2))}]]")),
            (2, AnyValue.Array[0, 3].Select(args => $"[{string.Join(", ", args)}]")),
            (1, Gen.Const("[null]"))),
        Pick("Subscribe", "Subscribe", "SubscribeAll", "UnsubscribeAll", "NoSuchMethod"),
        Damage,
        (args, target, damage) => (damage, $"{{\"type\": 1, \"invocationId\": \"case\", \"target\": \"{target}\", \"arguments\": {args}}}"));

    [Fact]
    public async Task TwelveThousandSeededHostileRequestsGetNo5xxChangeNoOtherUserAndKeepMemoryBounded()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:Tokens:Expiry"] = "01:00:00" });
        foreach (var other in Others)
        {
            Assert.Equal(200, (int)(await app.CompatAsync(HttpMethod.Put, Envelope(Token(other), Entry(other, "spreed", "busy", "baseline")))).StatusCode);
        }
        var baseline = Others.Select(o => app.Get(o)).ToArray();
        var token = Token(Caller); // valid for the whole run (Presence:Tokens:Expiry above)
        await HttpCasesAsync(app, token, perWorker: 100); // warm-up of the code paths, so the memory baseline includes JIT and caches
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var counts = await Task.WhenAll(
            Timed("HTTP", HttpCasesAsync(app, token)),
            Timed("hub", HubCasesAsync(app, token)));

        Assert.Equal(CompatCases + RestCases + HubCases, counts.Sum());
        for (var i = 0; i < Others.Length; i++) Assert.Same(baseline[i], app.Get(Others[i]));
        Assert.True(app.Tracker.Count <= Others.Length + 1, $"{app.Tracker.Count} users known");
        if (app.Get(Caller) is { } caller) Assert.All(caller.Protocols, p => Assert.Equal("spreed", p.Protocol));
        var grown = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(grown < 64L * 1024 * 1024, $"managed memory grew by {grown / 1024 / 1024} MiB");
    }

    private async Task<int> Timed(string what, Task<int> cases)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var n = await cases;
        output.WriteLine($"{n} {what} cases in {clock.Elapsed.TotalSeconds:0.0} s");
        return n;
    }

    private static async Task<int> HttpCasesAsync(PresenceApp app, string token, int perWorker = (CompatCases + RestCases) / Workers)
    {
        var done = 0;
        await Parallel.ForAsync(0, Workers, async (worker, _) =>
        {
            var pcg = new PCG((uint)worker, 20261130);
            var client = app.CreateClient();
            var compat = CompatCase(token);
            var rest = RestCase(token);
            for (var i = 0; i < perWorker; i++)
            {
                var c = (i % 2 == 0 ? compat : rest).Generate(pcg, null, out Size _);
                using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
                if (c.Authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", c.Authorization);
                if (c.Body.Length > 0)
                {
                    request.Content = new ByteArrayContent(c.Damage(c.Body));
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                Assert.True(status < 500, $"worker {worker} case {i}: {status} for {c} → {await response.Content.ReadAsStringAsync()}");
                if (status is 400 or 401) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Interlocked.Increment(ref done);
            }
        });
        return done;
    }

    private static async Task<int> HubCasesAsync(PresenceApp app, string token)
    {
        var pcg = new PCG(99, 20261130);
        WebSocket? socket = null;
        var done = 0;
        for (var i = 0; i < HubCases; i++)
        {
            socket ??= await ConnectAsync(app.Server, token);
            var (damage, frame) = HubFrame.Generate(pcg, null, out Size _);
            // Each case is followed by a probe invocation in the same message: the probe's completion (or a close) ends the case.
            var probe = $"{{\"type\": 1, \"invocationId\": \"probe{i}\", \"target\": \"UnsubscribeAll\", \"arguments\": []}}";
            await socket.SendAsync((byte[])[.. damage(frame), 0x1E, .. Encoding.UTF8.GetBytes(probe), 0x1E], WebSocketMessageType.Text, true, default);
            var completions = await ReadUntilAsync(socket, $"probe{i}");
            // A malformed frame closes the connection (the SignalR protocol cannot resynchronise); anything else is answered.
            if (completions is null) { socket.Dispose(); socket = null; }
            else
            {
                // Hub errors a caller caused are HubExceptions (or argument binding errors); anything else is a bug (the hub's 500).
                foreach (var outcome in completions)
                {
                    Assert.False(outcome.Contains("An unexpected error occurred", StringComparison.Ordinal) && !outcome.Contains("HubException:", StringComparison.Ordinal),
                        $"hub case {i}: {frame} → {outcome}");
                }
            }
            done++;
        }
        socket?.Dispose();
        return done;
    }

    private static async Task<WebSocket> ConnectAsync(TestServer server, string token)
    {
        var client = server.CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + token;
        var socket = await client.ConnectAsync(new Uri(server.BaseAddress, "/hubs/presence"), default);
        await socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, default);
        var handshake = await ReadFramesAsync(socket);
        Assert.Equal("{}", handshake?.FirstOrDefault());
        return socket;
    }

    /// <summary>Every completion up to and including <paramref name="id"/>'s, or <c>null</c> when the server closed the connection.</summary>
    private static async Task<List<string>?> ReadUntilAsync(WebSocket socket, string id)
    {
        var completions = new List<string>();
        while (await ReadFramesAsync(socket) is { } frames)
        {
            foreach (var frame in frames)
            {
                using var doc = JsonDocument.Parse(frame);
                var type = doc.RootElement.GetProperty("type").GetInt32();
                if (type == 7) return null; // close
                if (type != 3) continue;
                completions.Add(frame);
                if (doc.RootElement.GetProperty("invocationId").GetString() == id) return completions;
            }
        }
        return null;
    }

    private static async Task<List<string>?> ReadFramesAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try { result = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token); }
            catch (WebSocketException) { return null; }
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) break;
        }
        return [.. Encoding.UTF8.GetString(message.ToArray()).Split('\u001e', StringSplitOptions.RemoveEmptyEntries)];
    }
}
