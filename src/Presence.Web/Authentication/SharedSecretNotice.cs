using Microsoft.Extensions.Options;
using Presence.Web.Configuration;

namespace Presence.Web.Authentication;

/// <summary>Says at start, in one line, when no legacy shared secret is set and only API clients' tokens are accepted (issue 9 §1).</summary>
internal sealed class SharedSecretNotice(IOptions<TokenOptions> tokens, IHostEnvironment environment, ILogger<SharedSecretNotice> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var secret = tokens.Value.SharedSecret;
        if (!SharedSecretPolicy.IsEnabled(tokens.Value))
        {
            log.LogWarning("No shared secret is set (Presence:Tokens:SharedSecret): tokens signed with a shared secret are refused, only API clients' tokens are accepted (create clients at /admin/clients); to accept shared-secret tokens, {HowToSet}",
                SharedSecretPolicy.HowToSet);
        }
        else if (secret == SharedSecretPolicy.Placeholder)
        {
            log.LogWarning("Presence:Tokens:SharedSecret is the documented placeholder, accepted only because the environment is {Environment}; {HowToSet}",
                environment.EnvironmentName, SharedSecretPolicy.HowToSet);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
