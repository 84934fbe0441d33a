using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Presence.Domain.Model;
using Presence.Web.Authentication;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>
/// Admin page of API clients (DESIGN §5, §7): create (secret shown once), rotate with a grace period, revoke, issue a
/// test token, and usage. Every action goes through <see cref="ApiClientService"/>, which writes the audit row.
/// </summary>
public sealed partial class ApiClients : ComponentBase
{
    private IReadOnlyList<ApiClientInfo> _clients = [];
    private string? _error;
    private string? _secret;
    private string _secretTitle = "";
    private string? _token;
    private string _tokenUser = "";
    private long? _confirmRevoke;
    private string _name = "";
    private bool _read = true;
    private bool _writeOwn;
    private bool _writeAny;
    private DateTime? _expires;
    private string _testUser = "";
    private int _graceMinutes = 60;

    /// <summary>API client management.</summary>
    [Inject] public required ApiClientService Clients { get; init; }

    /// <summary>Clock (for the status column).</summary>
    [Inject] public required TimeProvider Time { get; init; }

    /// <summary>Log.</summary>
    [Inject] public required ILogger<ApiClients> Logger { get; init; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => ReloadAsync();

    private async Task ReloadAsync() => _clients = await Clients.ListAsync();

    private async Task<string> ActorAsync() =>
        AuthenticationState is null ? "unknown" : (await AuthenticationState).User.Identity?.Name ?? "unknown";

    private string Status(ApiClientInfo c) =>
        c.RevokedAt is not null ? "revoked" : c.ExpiresAt is { } e && e <= Time.GetUtcNow() ? "expired" : "active";

    private async Task CreateAsync()
    {
        await RunAsync(async () =>
        {
            var scopes = (_read ? ApiScopes.Read : 0) | (_writeOwn ? ApiScopes.WriteOwn : 0) | (_writeAny ? ApiScopes.WriteAny : 0);
            DateTimeOffset? expires = _expires is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Utc)) : null;
            var created = await Clients.CreateAsync(_name, scopes, expires, await ActorAsync());
            _secret = created.Secret;
            _secretTitle = $"Secret of the new client '{created.Client.Name}'";
            _name = "";
        });
    }

    private Task RotateAsync(ApiClientInfo client) => RunAsync(async () =>
    {
        if (_graceMinutes is < 0 or > 43_200) throw new ArgumentException("The grace period must be between 0 and 43200 minutes (30 days).");
        var rotated = await Clients.RotateAsync(client.Id, TimeSpan.FromMinutes(_graceMinutes), await ActorAsync());
        _secret = rotated.Secret;
        _secretTitle = $"New secret of '{client.Name}' (the previous one works for {_graceMinutes} more minutes)";
    });

    private Task RevokeAsync(ApiClientInfo client) => RunAsync(async () =>
    {
        _confirmRevoke = null;
        await Clients.RevokeAsync(client.Id, await ActorAsync());
    });

    private Task TestTokenAsync(ApiClientInfo client) => RunAsync(async () =>
    {
        if (!UserId.TryParse(_testUser.Trim(), out var user, out var error))
        {
            throw new ArgumentException($"Enter the user for the test token first: {error}.");
        }
        _token = await Clients.IssueTestTokenAsync(client.Id, user.Value, await ActorAsync());
        _tokenUser = user.Value;
    });

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        _token = null;
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            _error = ex.Message;
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "API client action failed");
            _error = "The action failed; the details are in the service log.";
        }
        await ReloadAsync();
    }
}
