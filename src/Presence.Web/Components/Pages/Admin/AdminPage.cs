using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Presence.Web.Components.Dialogs;

namespace Presence.Web.Components.Pages.Admin;

/// <summary>
/// What the admin pages that act through dialogs share: the acting admin's name (for the audit log), dialog options,
/// the one-time secret dialog, and running an action so that a refusal (<see cref="ArgumentException"/>,
/// <see cref="InvalidOperationException"/>, <see cref="KeyNotFoundException"/>, <see cref="FormatException"/>) is shown
/// in the service's words and anything else as "see the log" (logged with its stack trace), after which the page reloads.
/// </summary>
public abstract class AdminPage : ComponentBase
{
    /// <summary>
    /// Dialog options: a click on the backdrop does not close a dialog (it would discard a half-filled form or a
    /// one-time secret, which cannot be shown again); Escape and the dialog's own buttons do.
    /// </summary>
    protected static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false };

    /// <summary>Dialogs.</summary>
    [Inject] public required IDialogService Dialogs { get; init; }

    /// <summary>Result messages.</summary>
    [Inject] public required ISnackbar Snackbar { get; init; }

    /// <summary>Log (category: the page's type).</summary>
    [Inject] public required ILoggerFactory Loggers { get; init; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The last refusal or failure shown above the table, or <c>null</c>.</summary>
    protected string? Error { get; set; }

    /// <summary>The signed-in admin's name (<c>unknown</c> without one), for the audit log.</summary>
    protected async Task<string> ActorAsync() =>
        AuthenticationState is null ? "unknown" : (await AuthenticationState).User.Identity?.Name ?? "unknown";

    /// <summary>Reloads the page's data (after every action).</summary>
    protected abstract Task ReloadAsync();

    /// <summary>Shows <paramref name="value"/> once in the secret dialog (copy button) and waits until it is closed.</summary>
    protected async Task ShowSecretAsync(string title, string value, string note, bool isToken, string? recipe = null)
    {
        var dialog = await Dialogs.ShowAsync<SecretDialog>(title, new DialogParameters<SecretDialog>
        {
            { d => d.Value, value },
            { d => d.Note, note },
            { d => d.IsToken, isToken },
            { d => d.Recipe, recipe },
        }, Options);
        await dialog.Result;
    }

    /// <summary>Runs an action as described on the class.</summary>
    protected async Task RunAsync(Func<Task> action)
    {
        Error = null;
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            Error = ex.Message;
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (Exception ex)
        {
            Loggers.CreateLogger(GetType()).LogError(ex, "Admin action failed");
            Error = "The action failed; the details are in the service log.";
            Snackbar.Add(Error, Severity.Error);
        }
        await ReloadAsync();
    }
}
