using Microsoft.AspNetCore.Http.HttpResults;

namespace Presence.Web.Api;

/// <summary>problem+json (RFC 9457) results with a <c>detail</c> naming what was wrong (docs/ARCHITECTURE.md §8).</summary>
internal static class ApiErrors
{
    /// <summary>400: malformed JSON, wrong <c>Type</c>, unknown status, invalid user id, ….</summary>
    public static ProblemHttpResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    /// <summary>401: missing, malformed, expired or forged token.</summary>
    public static ProblemHttpResult Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "Invalid or missing token", detail);

    /// <summary>403: the token may not write this user.</summary>
    public static ProblemHttpResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Forbidden", detail);

    /// <summary>404: nothing known.</summary>
    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>413: body over the limit.</summary>
    public static ProblemHttpResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"the request body is larger than the limit of {limit} bytes (Presence:Api:MaxBodyBytes)");

    /// <summary>429: rate limited.</summary>
    public static ProblemHttpResult TooManyRequests(string partition) =>
        Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"rate limit exceeded for {partition}; retry later (Presence:Api:RateLimit)");

    /// <summary>503: the change was applied but not yet durable in time.</summary>
    public static ProblemHttpResult NotCommitted(TimeSpan waited) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Not committed", $"the change was applied but its history was not committed within {waited.TotalSeconds:0} s; the database may be unavailable");

    /// <summary>503: the database is unavailable; the change is held in memory and committed when it is back.</summary>
    public static ProblemHttpResult DatabaseUnavailable(string cause, int retryAfterSeconds) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Database unavailable",
            $"the database is unavailable: {cause}; the change was applied and is held in memory until it can be committed; retry after {retryAfterSeconds} s");
    /// <summary>500: an unexpected failure (never carries internals).</summary>
    public static ProblemHttpResult InternalError(string detail) => Problem(StatusCodes.Status500InternalServerError, "Internal error", detail);

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
