using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Presence.Web.Authentication;
using Presence.Web.Configuration;

namespace Presence.Web.Components.Pages;

/// <summary>
/// The sign-in page (<c>/signin</c>), statically rendered: a plain form post to the sign-in endpoint, which redirects
/// back here with the outcome in the query. A signed-in user who lands here was refused an admin page, and is told so.
/// </summary>
public sealed partial class SignIn : ComponentBase
{
    /// <summary>Why the last attempt failed: <c>invalid</c>, <c>locked</c> or <c>missing</c>.</summary>
    [SupplyParameterFromQuery(Name = "error")] public string? Error { get; set; }

    /// <summary>Local URL to return to after signing in.</summary>
    [SupplyParameterFromQuery(Name = "returnUrl")] public string? ReturnUrl { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in user's name when a signed-in user lands here (an admin page refused them), else <c>null</c>.</summary>
    private string? SignedInAs { get; set; }

    /// <summary>The first admin's settings (its one-time password file).</summary>
    [Inject] internal IOptions<AdminOptions> Admin { get; init; } = null!;

    /// <summary>The full path of the first admin's one-time password file while it exists (its password unused), else <c>null</c>.</summary>
    private string? OneTimePasswordFile { get; set; }

    private string UserName => string.IsNullOrWhiteSpace(Admin.Value.UserName) ? "admin" : Admin.Value.UserName.Trim();

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null && (await AuthenticationState).User.Identity is { IsAuthenticated: true, Name: { } name }) SignedInAs = name;
        var file = FirstAdminSeeder.PasswordFilePath(Admin.Value);
        if (File.Exists(file)) OneTimePasswordFile = file;
    }

    private string? ErrorText => Error switch
    {
        null or "" => null,
        "locked" => "Too many failed attempts: this account is locked for a few minutes.",
        "missing" => "Enter a user name and a password.",
        "form" => "The form expired or could not be read: try again.",
        _ => "The user name or password is wrong.",
    };
}
