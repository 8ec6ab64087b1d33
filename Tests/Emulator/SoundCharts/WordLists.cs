namespace TrackGrains.Emulator.SoundCharts;

/// <summary>Vocabulary for the synthetic catalogue. Changing it changes every generated song.</summary>
internal static class WordLists
{
    public static readonly string[] Adjectives =
    [
        "Velvet", "Electric", "Golden", "Midnight", "Silent", "Broken", "Neon", "Paper", "Crystal", "Wild",
        "Hollow", "Burning", "Frozen", "Distant", "Lazy", "Sweet", "Bitter", "Endless", "Lonely", "Restless",
        "Secret", "Violet", "Northern", "Summer", "Falling", "Shallow", "Heavy", "Little", "Lucky", "Faded",
    ];

    public static readonly string[] Nouns =
    [
        "Horizon", "Heart", "River", "Season", "Dream", "Highway", "Garden", "Signal", "Mirror", "Thunder",
        "Ocean", "Shadow", "Window", "Fire", "Letter", "Skyline", "Echo", "Harbour", "Satellite", "Canyon",
        "Promise", "Rain", "Static", "Morning", "Machine", "Parade", "Island", "Motel", "Lantern", "Carousel",
    ];

    public static readonly string[] FirstNames =
    [
        "Ava", "Noah", "Mila", "Leo", "Zoe", "Omar", "Ines", "Kenji", "Lena", "Theo",
        "Yara", "Lucas", "Nina", "Mateo", "Sofia", "Jonas", "Amara", "Felix", "Rosa", "Ivan",
    ];

    public static readonly string[] LastNames =
    [
        "Rivers", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Castillo", "Novak", "Hughes", "Petrov", "Silva",
        "Bauer", "Kowalski", "Haddad", "Nakamura", "Ferreira", "Dubois", "Larsen", "Marino", "Quinn", "Abara",
    ];

    public static readonly string[] BandSuffixes = ["Collective", "Brothers", "Club", "Orchestra", "Society", "Machine"];

    public static readonly (string Root, string[] Subs)[] Genres =
    [
        ("pop", ["dance pop", "electropop", "indie pop", "k-pop", "synthpop"]),
        ("rock", ["alternative rock", "indie rock", "hard rock", "post-punk", "garage rock"]),
        ("hip hop", ["trap", "boom bap", "conscious hip hop", "drill"]),
        ("electronic", ["house", "techno", "drum and bass", "ambient", "dubstep"]),
        ("r&b", ["contemporary r&b", "neo soul", "funk"]),
        ("latin", ["reggaeton", "latin pop", "bachata", "salsa"]),
        ("jazz", ["smooth jazz", "bebop", "jazz fusion"]),
        ("country", ["country pop", "americana", "bluegrass"]),
        ("classical", ["baroque", "romantic", "contemporary classical"]),
        ("metal", ["heavy metal", "metalcore", "doom metal"]),
    ];

    public static readonly (string Code, string Name, string Language)[] Countries =
    [
        ("US", "United States", "en"), ("GB", "United Kingdom", "en"), ("FR", "France", "fr"),
        ("DE", "Germany", "de"), ("SE", "Sweden", "sv"), ("KR", "South Korea", "ko"), ("JP", "Japan", "ja"),
        ("BR", "Brazil", "pt"), ("MX", "Mexico", "es"), ("ES", "Spain", "es"), ("TW", "Taiwan", "zh"),
        ("NG", "Nigeria", "en"), ("CA", "Canada", "en"), ("AU", "Australia", "en"), ("IT", "Italy", "it"),
    ];

    public static readonly (string Name, string Type)[] Labels =
    [
        ("Interscope", "Universal"), ("Republic Records", "Universal"), ("Island Records", "Universal"),
        ("Columbia", "Sony"), ("RCA Records", "Sony"), ("Epic", "Sony"), ("Atlantic Records", "Warner"),
        ("Warner Records", "Warner"), ("Parlophone", "Warner"), ("Sub Pop", "Independent"),
        ("XL Recordings", "Independent"), ("Domino", "Independent"), ("Ninja Tune", "Independent"),
        ("Darkroom", "Universal"), ("Big Machine", "Independent"),
    ];
}
