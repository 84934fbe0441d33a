using Microsoft.AspNetCore.Components;
using MudBlazor;
using Presence.Web.Authentication;
using Presence.Web.Components.Dialogs;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>
/// The accounts page (<c>/admin/users</c>, admins only): lists the dashboard's accounts; creates one, resets a password
/// (each shows the generated one-time password once) and deletes one after a confirmation, through
/// <see cref="DashboardUserService"/>. Refusals (a taken name, the last admin) are shown as the service words them.
/// </summary>
public sealed partial class Accounts : AdminPage
{
    private IReadOnlyList<DashboardUserInfo> _users = [];
    private string _actor = "unknown";

    /// <summary>The accounts.</summary>
    [Inject] public required DashboardUserService Service { get; init; }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _actor = await ActorAsync();
        await ReloadAsync();
    }

    /// <inheritdoc />
    protected override async Task ReloadAsync() => _users = await Service.ListAsync();

    /// <summary>The signed-in admin's own account (which has no Delete button).</summary>
    private bool IsMe(DashboardUserInfo user) => string.Equals(user.UserName, _actor, StringComparison.OrdinalIgnoreCase);

    private Task ShowPasswordAsync(string title, string password) =>
        ShowSecretAsync(title, password, "Give it to the person: it is shown only once, and must be changed at the first sign-in.", isToken: false);

    private Task CreateAsync() => RunAsync(async () =>
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New account", new DialogParameters<CreateUserDialog> { { d => d.Actor, _actor } }, Options);
        if (await dialog.Result is not { Canceled: false, Data: CreateUserDialog.CreatedAccount created }) return;
        await ReloadAsync();
        StateHasChanged();
        Snackbar.Add($"Created the account '{created.User.UserName}'.", Severity.Success);
        await ShowPasswordAsync($"One-time password of '{created.User.UserName}'", created.Password);
    });

    private Task ResetAsync(DashboardUserInfo user) => RunAsync(async () =>
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Reset the password of '{user.UserName}'?",
            "The current password stops working and the account's open sessions end; a one-time password is shown once.",
            yesText: "Reset password", cancelText: "Cancel", options: Options);
        if (confirmed != true) return;
        var password = await Service.ResetPasswordAsync(user.Id, _actor);
        await ReloadAsync();
        StateHasChanged();
        await ShowPasswordAsync($"New one-time password of '{user.UserName}'", password);
    });

    private Task DeleteAsync(DashboardUserInfo user) => RunAsync(async () =>
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete '{user.UserName}'?",
            "The account can no longer sign in and its open sessions end. This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel", options: Options);
        if (confirmed != true) return;
        await Service.DeleteAsync(user.Id, _actor);
        Snackbar.Add($"Deleted the account '{user.UserName}'.", Severity.Success);
    });
}
