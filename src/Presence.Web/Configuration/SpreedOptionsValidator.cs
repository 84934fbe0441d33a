using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>Cross-field checks of <see cref="SpreedOptions"/> (<c>Presence:Spreed</c>).</summary>
internal sealed class SpreedOptionsValidator : IValidateOptions<SpreedOptions>
{
    public ValidateOptionsResult Validate(string? name, SpreedOptions o) =>
        o.PausedAfter > o.AutoUnavailable
            ? ValidateOptionsResult.Fail($"Presence:Spreed:PausedAfter ({o.PausedAfter}) must not be longer than Presence:Spreed:AutoUnavailable ({o.AutoUnavailable}).")
            : ValidateOptionsResult.Success;
}
