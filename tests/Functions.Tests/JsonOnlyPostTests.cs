using System.Text;
using FunctionsCrawler.Functions.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace FunctionsCrawler.Functions.Tests;

/// <summary>The Functions app's POST routes refuse what a web page can send without a preflight, before doing any work.</summary>
public sealed class JsonOnlyPostTests : IDisposable
{
    private readonly IHost _host;

    public JsonOnlyPostTests()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        // Storage nobody listens on: a refused request must not reach it.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddCrawlerFunctions(builder.Configuration);
        _host = builder.Build();
    }

    public void Dispose() => _host.Dispose();

    public static TheoryData<string?, string?> NotJson => new()
    {
        { null, null },
        { "application/x-www-form-urlencoded", "categories=%E8%AF%B4%E5%94%B1" },
        { "text/plain", """{"categories":["说唱"]}""" },
        { "multipart/form-data; boundary=x", "--x--" },
    };

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task Start_crawl_on_request_refuses_a_body_that_is_not_json_with_415(string? contentType, string? body)
    {
        var routes = ActivatorUtilities.CreateInstance<CrawlCommandRoutes>(_host.Services);
        var result = await routes.StartCrawlOnRequest(Request(contentType, body), null!, CancellationToken.None);
        AssertRefused(result);
    }

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task Requeue_failed_refuses_a_body_that_is_not_json_with_415(string? contentType, string? body)
    {
        var routes = ActivatorUtilities.CreateInstance<CrawlCommandRoutes>(_host.Services);
        var result = await routes.RequeueFailed(Request(contentType, body), "20261127-081428-942d", null!, CancellationToken.None);
        AssertRefused(result);
    }

    private static HttpRequest Request(string? contentType, string? body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }
        return context.Request;
    }

    private static void AssertRefused(IResult result)
    {
        var status = Assert.IsAssignableFrom<IStatusCodeHttpResult>(result);
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, status.StatusCode);
        var value = Assert.IsAssignableFrom<IValueHttpResult>(result).Value;
        Assert.Contains("application/json", value!.GetType().GetProperty("error")!.GetValue(value) as string);
    }
}
