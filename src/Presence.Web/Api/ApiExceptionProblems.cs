using Microsoft.AspNetCore.Diagnostics;
using Presence.Web.Hosting;

namespace Presence.Web.Api;

/// <summary>
/// Unexpected exceptions on the API, the hub and health (everything but the dashboard's pages) become an RFC 9457
/// problem detail without internals (no exception type, message or stack trace in the answer): a malformed request
/// Kestrel or the framework detected (<see cref="BadHttpRequestException"/>) keeps its 4xx, anything else is a 500
/// whose detail only says that the failure was logged (issue 9 §2).
/// </summary>
internal static class ApiExceptionProblems
{
    /// <summary>Adds the exception handler for non-page requests (pages have their own friendly error page).</summary>
    public static WebApplication UseApiExceptionProblems(this WebApplication app)
    {
        app.UseWhen(c => !DashboardHosting.IsPageRequest(c), api => api.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            ExceptionHandler = context =>
            {
                var feature = context.Features.Get<IExceptionHandlerFeature>();
                var problem = feature?.Error is BadHttpRequestException bad
                    ? TypedResults.Problem(statusCode: bad.StatusCode, title: "Bad request",
                        detail: bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the request body is too large" : "the request is malformed (headers, body framing or encoding)")
                    : ApiErrors.InternalError("the request failed because of an unexpected error on the server; it has been logged");
                return problem.ExecuteAsync(context);
            },
        }));
        return app;
    }
}
