using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>Cross-field checks of <see cref="TokenOptions"/> (<c>Presence:Tokens</c>).</summary>
internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions o) =>
        o.MaxClockSkew > o.Expiry
            ? ValidateOptionsResult.Fail($"Presence:Tokens:MaxClockSkew ({o.MaxClockSkew}) must not be longer than Presence:Tokens:Expiry ({o.Expiry}).")
            : ValidateOptionsResult.Success;
}
