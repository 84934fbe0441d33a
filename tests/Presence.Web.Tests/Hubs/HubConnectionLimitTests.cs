using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Tokens;
using Presence.Web.Api;
using Presence.Web.Authentication;
using Presence.Web.Hubs;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests.Hubs;

/// <summary>
/// Open hub connections are bounded per caller: per API client (whatever the tokens' users), per user for the legacy
/// shared secret, per account for the sign-in cookie. The connection past the limit is refused with a message naming
/// the limit and its key — 429 with a problem detail at negotiate, the close reason for a client that skips
/// negotiation — and nothing is logged at Error; closing a connection frees its slot; other callers are not affected.
/// Real Kestrel, the .NET SignalR client over WebSockets.
/// </summary>
public sealed class HubConnectionLimitTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly LogCapture _logs = new();
    private readonly HubApp _app;

    public HubConnectionLimitTests() => _app = new(new Dictionary<string, string?>
    {
        ["Presence:Hub:MaxConnectionsPerClient"] = "2",
        ["Presence:Hub:MaxConnectionsPerUser"] = "2",
        ["Logging:LogLevel:Default"] = "Debug",
    }, _logs);

    public void Dispose() => _app.Dispose();

    private HubConnection Build(string? token, string? cookie = null, bool skipNegotiation = false) =>
        new HubConnectionBuilder()
            .WithUrl(_app.HubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = skipNegotiation;
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                if (cookie is not null) o.Headers["Cookie"] = cookie;
            })
            .Build();

    private async Task<HubConnection> ConnectAsync(string? token, string? cookie = null)
    {
        var connection = Build(token, cookie);
        await connection.StartAsync();
        Assert.Single(await connection.InvokeAsync<List<UserPresenceDto>>("Subscribe", new[] { "alice@example.com" }));
        return connection;
    }

    private Task<ApiClientSecret> NewClientAsync(string name) =>
        _app.Services.GetRequiredService<ApiClientService>().CreateAsync(name, ApiScopes.Read, null, "admin");

    private static string Token(ApiClientSecret client, string user) => PresenceToken.Create(client.Secret, user, DateTimeOffset.UtcNow);

    /// <summary>Completes when a slot of the caller with <paramref name="key"/> was freed.</summary>
    private Task ReleasedAsync(string key)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var limit = _app.Services.GetRequiredService<HubConnectionLimit>();
        void OnReleased(HubCaller caller, int open)
        {
            if (caller.Key != key) return;
            limit.Released -= OnReleased;
            released.TrySetResult();
        }
        limit.Released += OnReleased;
        return released.Task.WaitAsync(Timeout);
    }

    private void AssertNoErrorLogged() =>
        Assert.DoesNotContain(_logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal) || e.StartsWith("Critical", StringComparison.Ordinal));

    [Fact]
    public async Task AClientsConnectionPastItsLimitIsRefusedAtNegotiateWith429AndClosingOneFreesASlot()
    {
        var busy = await NewClientAsync("busy-client");
        var other = await NewClientAsync("other-client");
        // One client secret, tokens of different users: counted against the client, not the users.
        var first = await ConnectAsync(Token(busy, "alice@example.com"));
        await using var second = await ConnectAsync(Token(busy, "bob@example.com"));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(Token(busy, "carol@example.com")));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        using var http = new HttpClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, _app.HubUrl + "/negotiate?negotiateVersion=1");
        negotiate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(busy, "dave@example.com"));
        using var answer = await http.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many hub connections: the API client 'busy-client' already has 2 open, the most allowed (Presence:Hub:MaxConnectionsPerClient). Close one before opening another.",
            problem.GetProperty("detail").GetString());

        // Other callers are not affected: another API client, and a user of the shared secret.
        await using var otherClient = await ConnectAsync(Token(other, "alice@example.com"));
        await using var legacy = await ConnectAsync(HubApp.TokenFor("alice@example.com"));

        var freed = ReleasedAsync("client:" + busy.Client.Id);
        await first.DisposeAsync();
        await freed;
        await using var third = await ConnectAsync(Token(busy, "carol@example.com"));

        Assert.Contains(_logs.Entries, e => e.StartsWith("Debug", StringComparison.Ordinal) && e.Contains("Hub negotiate refused") && e.Contains("busy-client"));
        AssertNoErrorLogged();
    }

    [Fact]
    public async Task AConnectionThatSkipsNegotiationPastAUsersLimitIsClosedWithTheLimitAsTheReason()
    {
        var token = HubApp.TokenFor("alice@example.com");
        await using var first = await ConnectAsync(token);
        await using var second = await ConnectAsync(HubApp.TokenFor("alice@example.com"));

        await using var third = Build(token, skipNegotiation: true);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        third.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        Exception? error;
        try
        {
            await third.StartAsync();
            error = await closed.Task.WaitAsync(Timeout);
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Contains("Too many hub connections: the user 'alice@example.com' (shared-secret tokens) already has 2 open, the most allowed (Presence:Hub:MaxConnectionsPerUser)", error!.Message);
        // The refused connection took no slot; a dashboard account and another user are counted on their own.
        Assert.Equal(2, _app.Services.GetRequiredService<HubConnectionLimit>().OpenFor(new HubCaller("user:alice@example.com", "", PerClient: false)));
        await using var viewer = await ConnectAsync(null, _app.SignInCookie("alice@example.com"));
        await using var bob = await ConnectAsync(HubApp.TokenFor("bob@example.com"));
        Assert.Single(await first.InvokeAsync<List<UserPresenceDto>>("Subscribe", new[] { "bob@example.com" }));
        Assert.Contains(_logs.Entries, e => e.StartsWith("Debug", StringComparison.Ordinal) && e.Contains("refused: Too many hub connections"));
        AssertNoErrorLogged();
    }
}
