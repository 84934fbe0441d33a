using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Presence.Web.Authentication;

namespace Presence.Web.Components.Pages.Account;

/// <summary>
/// The password change page (<c>/account/password</c>), statically rendered: a plain form post to
/// <see cref="PasswordEndpoints"/>, which redirects back here with the outcome in the query.
/// </summary>
public sealed partial class ChangePassword : ComponentBase
{
    /// <summary>The password rules, to word a refusal.</summary>
    [Inject] public required IOptions<IdentityOptions> Identity { get; init; }

    /// <summary>The signed-in user.</summary>
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Why the last attempt failed: <c>missing</c>, <c>too-long</c>, <c>mismatch</c>, <c>same</c>, <c>current</c> or <c>policy</c>.</summary>
    [SupplyParameterFromQuery(Name = "error")] public string? Error { get; set; }

    /// <summary>The password rules the new password broke (Identity error codes, comma-separated), with <c>error=policy</c>.</summary>
    [SupplyParameterFromQuery(Name = "rules")] public string? Rules { get; set; }

    /// <summary><c>1</c> after a successful change.</summary>
    [SupplyParameterFromQuery(Name = "changed")] public string? ChangedFlag { get; set; }

    /// <summary>Local URL to continue to.</summary>
    [SupplyParameterFromQuery(Name = "returnUrl")] public string? ReturnUrl { get; set; }

    private bool MustChange { get; set; }

    private string? UserName { get; set; }

    private bool Changed => ChangedFlag == "1";

    private string ContinueUrl => SignInEndpoints.LocalPath(ReturnUrl);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is null) return;
        var user = (await AuthenticationState).User;
        UserName = user.Identity?.Name;
        MustChange = user.HasClaim(PasswordEndpoints.MustChangeClaim, "true");
    }

    private string? ErrorText => Error switch
    {
        null or "" => null,
        "missing" => "Enter the current password and the new one.",
        "form" => "The form expired or could not be read: try again.",
        "too-long" => $"A password may have at most {SignInEndpoints.MaxPasswordLength} characters.",
        "mismatch" => "The two new passwords differ.",
        "same" => "The new password is the current one: choose another.",
        "current" => "The current password is wrong.",
        _ => PasswordEndpoints.DescribeRules(Rules, Identity.Value.Password) is { Count: > 0 } broken
            ? "The new password was refused: " + string.Join(" ", broken)
            : "The new password was refused: it does not meet the password rules.",
    };
}
