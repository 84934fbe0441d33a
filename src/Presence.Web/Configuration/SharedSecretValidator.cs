using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>Applies <see cref="SharedSecretPolicy"/> when the options are validated (at start).</summary>
internal sealed class SharedSecretValidator(IHostEnvironment environment) : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions o) =>
        SharedSecretPolicy.Refusal(o.SharedSecret, environment) is { } why ? ValidateOptionsResult.Fail(why) : ValidateOptionsResult.Success;
}
