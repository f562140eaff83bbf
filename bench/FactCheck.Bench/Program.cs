using FactCheck.Bench;

const string Usage = """
    FactCheck benchmark driver

      generate --speakers N --claims M --seed S --server URL [--concurrency K] [--connections C] [--batch B] [--mode bulk|per-record]
      load     --server URL --scenario NAME --duration 10s --warmup 3s --callers C --connections K [--depth D] [--results FILE]
               [--label TEXT (the result's name; default the scenario's)]
               scenarios: empty, get-claim, list-by-speaker-first, list-by-speaker-deep, verify, search, health
      store-import --claims N [--speakers S] [--seed S] [--batch B] [--report-every K] [--path FILE | --postgres CONNSTR]
               (ImportClaimsAsync straight into the store, no gRPC: the store's rate and CPU per claim as the tables grow)
      report   --results FILE [--baseline empty]
      evaluate [--out bench/RESULTS.md] [--repo DIR (default: above the current directory)]   (labelled verification cases in process; writes its section of RESULTS.md)
      search-eval --db FILE [--queries bench/search/queries.jsonl] [--rounds 20] [--out bench/RESULTS.md]
               (labelled search queries against a loaded database: FTS5 as the service runs it, and a Lucene.Net index of the same claims)
      search-profile --db FILE --index DIR (a COPY of a built index) [--queries 2000] [--rounds 3] [--variants a,b]
               (bench-style queries against the index in process: latency percentiles and throughput, the search's cost split)
      evaluate-service --server URL [--cli factcheck.dll] [--out bench/RESULTS.md] [--repo DIR]   (the same cases through a running server, with a sentence model, after importing the seed into it)
      index    --vectors FILE [--queries 200] [--sizes real,100000,1000000] [--hnsw-max 100000] [--binary coarse/scan/rescore,...] [--out bench/RESULTS.md]
      embed    --out FILE [--claims 20000] [--seed 42] [--speakers 20000]   (statements of generated claims -> float32 vectors)
      seed-vectors --db FILE --vectors FILE   (every claim of a loaded SQLite database gets a stored vector: real ones from FILE,
               the rest synthesized; to measure semantic verification at 1M without embedding 1M texts)

    Every RPC sends `authorization: Bearer <key>`: --api-key or FACTCHECK_API_KEY.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    var rest = new Args(args.Skip(1));
    return args[0] switch
    {
        "generate" => await GenerateCommand.RunAsync(rest),
        "load" => await LoadCommand.RunAsync(rest),
        "report" => LoadCommand.Report(rest),
        "store-import" => await StoreImportCommand.RunAsync(rest),
        "evaluate" => await FactCheck.Bench.Semantics.EvaluateCommand.RunAsync(rest),
        "search-eval" => await FactCheck.Bench.Search.SearchEvaluateCommand.RunAsync(rest),
        "search-profile" => await FactCheck.Bench.Search.SearchProfileCommand.RunAsync(rest),
        "evaluate-service" => await FactCheck.Bench.Semantics.ServiceEvaluateCommand.RunAsync(rest),
        "index" => await FactCheck.Bench.Semantics.IndexCommand.RunAsync(rest),
        "embed" => await FactCheck.Bench.Semantics.EmbedCommand.RunAsync(rest),
        "seed-vectors" => await FactCheck.Bench.Semantics.SeedVectorsCommand.RunAsync(rest),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{Usage}");
    return 2;
}
