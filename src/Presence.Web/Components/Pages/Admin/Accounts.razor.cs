using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Presence.Web.Authentication;
using Presence.Web.Components.Dialogs;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>
/// The accounts page (<c>/admin/users</c>, admins only): lists the dashboard's accounts; creates one, resets a password
/// (each shows the generated one-time password once) and deletes one after a confirmation, through
/// <see cref="DashboardUserService"/>. Refusals (a taken name, the last admin) are shown as the service words them.
/// </summary>
public partial class Accounts
{
    private IReadOnlyList<DashboardUserInfo> _users = [];
    private string? _error;
    private string? _me;

    /// <summary>The accounts.</summary>
    [Inject] public required DashboardUserService Service { get; init; }

    /// <summary>Dialogs.</summary>
    [Inject] public required IDialogService Dialogs { get; init; }

    /// <summary>Snackbars.</summary>
    [Inject] public required ISnackbar Snackbar { get; init; }

    /// <summary>Log.</summary>
    [Inject] public required ILogger<Accounts> Logger { get; init; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>A click beside a dialog does not close it (it would lose a one-time password that cannot be shown again).</summary>
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false };

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _me = AuthenticationState is null ? null : (await AuthenticationState).User.Identity?.Name;
        await ReloadAsync();
    }

    private async Task ReloadAsync() => _users = await Service.ListAsync();

    private bool IsMe(DashboardUserInfo user) => string.Equals(user.UserName, _me, StringComparison.OrdinalIgnoreCase);

    private string Actor => _me ?? "unknown";

    private Task CreateAsync() => RunAsync(async () =>
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New account", new DialogParameters<CreateUserDialog> { { d => d.Actor, Actor } }, Options);
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
        var password = await Service.ResetPasswordAsync(user.Id, Actor);
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
        await Service.DeleteAsync(user.Id, Actor);
        Snackbar.Add($"Deleted the account '{user.UserName}'.", Severity.Success);
    });

    private async Task ShowPasswordAsync(string title, string password)
    {
        var dialog = await Dialogs.ShowAsync<SecretDialog>(title, new DialogParameters<SecretDialog>
        {
            { d => d.Value, password },
            { d => d.Note, "Give it to the person: it is shown only once, and must be changed at the first sign-in." },
            { d => d.IsToken, false },
        }, Options);
        await dialog.Result;
    }

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            _error = ex.Message;
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Account action failed");
            _error = "The action failed; the details are in the service log.";
            Snackbar.Add(_error, Severity.Error);
        }
        await ReloadAsync();
    }
}
