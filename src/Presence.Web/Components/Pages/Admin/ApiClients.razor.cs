using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Presence.Domain.Model;
using Presence.Web.Authentication;
using Presence.Web.Components.Dialogs;
using Presence.Web.Hosting;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>
/// Admin page of API clients (docs/ARCHITECTURE.md §8, §10): create (secret shown once in a dialog), rotate with a grace period,
/// revoke after a confirmation, issue a test token, and usage. Every action goes through <see cref="ApiClientService"/>,
/// which writes the audit row; results are announced as snackbars.
/// </summary>
public sealed partial class ApiClients : AdminPage
{
    private IReadOnlyList<ApiClientInfo> _clients = [];
    private string _testUser = "";

    /// <summary>API client management.</summary>
    [Inject] public required ApiClientService Clients { get; init; }

    /// <summary>Clock (for the status column).</summary>
    [Inject] public required TimeProvider Time { get; init; }

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => ReloadAsync();

    /// <inheritdoc />
    protected override async Task ReloadAsync() => _clients = await Clients.ListAsync();

    private string Status(ApiClientInfo c) =>
        c.RevokedAt is not null ? "revoked" : c.ExpiresAt is { } e && e <= Time.GetUtcNow() ? "expired" : "active";

    private static Color StatusColor(string status) => status switch
    {
        "active" => Color.Success,
        "expired" => Color.Warning,
        _ => Color.Error,
    };

    private static string StatusIcon(string status) => status switch
    {
        "active" => Icons.Material.Filled.CheckCircle,
        "expired" => Icons.Material.Filled.EventBusy,
        _ => Icons.Material.Filled.Block,
    };

    private Task CreateAsync() => RunAsync(async () =>
    {
        var dialog = await Dialogs.ShowAsync<CreateClientDialog>("New API client",
            new DialogParameters<CreateClientDialog> { { d => d.Actor, await ActorAsync() } }, Options);
        if (await dialog.Result is not { Canceled: false, Data: ApiClientSecret created }) return;
        await ReloadAsync();
        StateHasChanged();
        Snackbar.Add($"Created the client '{created.Client.Name}'.", Severity.Success);
        await ShowSecretAsync($"Secret of the new client '{created.Client.Name}'", created.Secret,
            "Copy it now: it is shown only once. Clients sign their tokens with it.", isToken: false, Recipe(created.Secret));
    });

    private Task RotateAsync(ApiClientInfo client) => RunAsync(async () =>
    {
        var dialog = await Dialogs.ShowAsync<RotateClientDialog>($"Rotate the secret of '{client.Name}'?",
            new DialogParameters<RotateClientDialog> { { d => d.Client, client }, { d => d.Actor, await ActorAsync() } }, Options);
        if (await dialog.Result is not { Canceled: false, Data: RotateClientDialog.RotatedSecret rotated }) return;
        await ReloadAsync();
        StateHasChanged();
        Snackbar.Add($"Rotated the secret of '{client.Name}'.", Severity.Success);
        await ShowSecretAsync($"New secret of '{client.Name}'", rotated.Secret,
            $"Copy it now: it is shown only once. The previous secret works for {rotated.GraceMinutes} more minutes.", isToken: false, Recipe(rotated.Secret));
    });

    /// <summary>The token command for <paramref name="secret"/>, for the user of the test-token field or an example user.</summary>
    private string Recipe(string secret) =>
        AdminCommands.TokenRecipe(secret, UserId.TryParse(_testUser.Trim(), out var user, out _) ? user.Value : "alice@example.com");

    private Task RevokeAsync(ApiClientInfo client) => RunAsync(async () =>
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Revoke '{client.Name}'?",
            "Every token signed with this client's secret is refused from now on. This cannot be undone.",
            yesText: "Revoke", cancelText: "Cancel", options: Options);
        if (confirmed != true) return;
        await Clients.RevokeAsync(client.Id, await ActorAsync());
        await ReloadAsync();
        Snackbar.Add($"Revoked the client '{client.Name}'.", Severity.Success);
    });

    private Task TestTokenAsync(ApiClientInfo client) => RunAsync(async () =>
    {
        if (!UserId.TryParse(_testUser.Trim(), out var user, out var error))
        {
            throw new ArgumentException($"Enter the user for the test token first: {error}.");
        }
        var token = await Clients.IssueTestTokenAsync(client.Id, user.Value, await ActorAsync());
        await ReloadAsync();
        StateHasChanged();
        await ShowSecretAsync($"Test token for {user.Value}", token,
            $"Signed with the secret of '{client.Name}'; valid for the configured token lifetime.", isToken: true);
    });
}
