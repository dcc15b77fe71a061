package sheets

import "paniers/planner"

// words holds every piece of text a document prints, per language. A struct
// rather than a map so that a word missing in one language does not compile
// away silently: TestWordsComplete checks no field is empty.
type words struct {
	PDFLang     string
	DecimalMark string
	Thousands   string
	Colon       string
	FileKinds   map[string]string
	Classes     map[string]string
	Categories  map[string]string

	RoundSheet, PickupList, PreparationList, DeliveryNote string

	Hub, Week, Round, RoundsWord, VehiclesUsed, FillRate, Shortfalls, Unrouted string
	Collection, Delivery, Vehicle, Capacity, Departure, Return, At, Around     string
	Totals, Total, LoadAtHub, UnloadAtHub, Load, Unload, Nothing               string
	Window, Arrive, Start, Leave, ArriveShort, StartShort, LeaveShort          string
	Leg, Baskets, BackTo, StopOne, StopsWord, Stops, Stop, Times, Done, Page   string
	Crate, Crates, CrateRule                                                   string

	BasketContents, BasketType, PerBasket, Households, Household, Count string
	Extras, Signature, Item, OrderedCol, DeliveredCol, NoHouseholds     string
	NotPlanned, BasketOne, BasketMany, OrderedWord, AllocatedWord       string
	ValuePrice                                                          string
	DeliveryWord, NoDelivery                                            string
	VanComes, BringToHub, NothingSold, Unsold, ToPrepare, Destination   string
	Producer, UnitPrice, Amount, Organic, OrganicMark, OrganicShare     string
	Unpriced, ReceivedBy, NoteNumber                                    string
	ColRound, ColVehicle, ColDate, ColKind, ColStop, ColID, ColName     string
	ColAddress, ColWindowStart, ColWindowEnd, ColArrive, ColStart       string
	ColLeave, ColProduct, ColQuantity, ColUnit, ColKg, ColCrates        string
	ColLegKm, ColLegMin, ColDone, ColSection, ColSite, ColOrder         string
	ColUnitPrice, ColAmount, ColNote                                    string
	SecHousehold, SecContents, SecTotal, SecDestination, SecUnsold      string
	SecLine, SecOrganicShare, SecShortfall                              string

	ExtrasBags, BagOne, BagMany, PackOne, PackMany, ColPacks, PackRule      string
	Continued, SecUnassigned, Unassigned, RelayWhole, BasketCount           string
	ListedCol, PickupKey, PackingList, SetAside, ExtrasPerHousehold         string
	PackingIntro, ForN, SecBasket, SecExtra, SecCrate, UnroutedSites, Stop2 string
}

var french = words{
	PDFLang:     "fr-FR",
	DecimalMark: ",",
	Thousands:   " ",
	Colon:       " : ",
	FileKinds: map[string]string{
		KindRoundSheet: "feuille-de-route", KindPickupList: "liste-de-retrait",
		KindPreparationList: "liste-de-preparation", KindDeliveryNote: "bon-de-livraison", KindPackingList: "liste-de-colisage",
	},
	Classes: map[string]string{
		planner.ClassCanteen: "cantine", planner.ClassBasket: "paniers", planner.ClassExtra: "suppléments",
	},
	Categories: map[string]string{
		"legume": "légumes", "légume": "légumes", "fruit": "fruits", "oeuf": "œufs", "œuf": "œufs",
		"laitier": "produits laitiers", "viande": "viande", "pain": "pain", "aromate": "aromates",
	},

	RoundSheet: "Feuille de route", PickupList: "Liste de retrait",
	PreparationList: "Liste de préparation", DeliveryNote: "Bon de livraison",

	Hub: "plateforme", Week: "Semaine", Round: "Tournée", RoundsWord: "tournées", VehiclesUsed: "véhicules",
	FillRate: "Taux de service", Shortfalls: "Manques", Unrouted: "Non desservi",
	Collection: "collecte", Delivery: "livraison", Vehicle: "Véhicule", Capacity: "capacité",
	Departure: "Départ", Return: "Retour", At: "à", Around: "vers",
	Totals: "Totaux", Total: "TOTAL", LoadAtHub: "À charger à la plateforme", UnloadAtHub: "À décharger à la plateforme au retour",
	Load: "À charger", Unload: "À décharger", Nothing: "(rien)",
	Window: "créneau", Arrive: "arrivée", Start: "début", Leave: "départ",
	ArriveShort: "arr.", StartShort: "déb.", LeaveShort: "dép.",
	Leg: "Trajet", Baskets: "Paniers", BackTo: "Retour à", StopOne: "arrêt", StopsWord: "arrêts", Stops: "Arrêts", Stop: "Arrêt",
	Times: "Horaires", Done: "Fait", Page: "page",
	Crate: "caisse", Crates: "caisses",
	CrateRule: "Caisses : un produit par caisse, %s kg au plus par caisse.",

	BasketContents: "Contenu des paniers", BasketType: "Panier", PerBasket: "Par panier",
	Households: "Foyers", Household: "Foyer", Count: "Nb", Extras: "Suppléments", Signature: "Signature",
	Item: "Article", OrderedCol: "Commandé", DeliveredCol: "Livré", NoHouseholds: "Aucun foyer enregistré",
	NotPlanned: "non prévu", BasketOne: "panier", BasketMany: "paniers", ValuePrice: "Valeur / prix",
	OrderedWord: "commandé", AllocatedWord: "livré",
	DeliveryWord: "Livraison", NoDelivery: "aucune tournée prévue",
	VanComes: "Passage du camion", BringToHub: "À apporter à la plateforme",
	NothingSold: "Rien à préparer cette semaine.", Unsold: "Invendu (reste chez vous)",
	ToPrepare: "À récolter et emballer", Destination: "Destination",
	Producer: "Producteur", UnitPrice: "Prix unitaire", Amount: "Montant", Organic: "Bio", OrganicMark: "bio",
	OrganicShare: "Part bio en valeur", Unpriced: "Certaines lignes n'ont pas de prix : elles comptent pour 0 €.",
	ReceivedBy: "Reçu par", NoteNumber: "Bon n°",
	ColRound: "Tournée", ColVehicle: "Véhicule", ColDate: "Date", ColKind: "Type", ColStop: "Arrêt", ColID: "Identifiant",
	ColName: "Nom", ColAddress: "Adresse", ColWindowStart: "Début créneau", ColWindowEnd: "Fin créneau",
	ColArrive: "Arrivée", ColStart: "Début service", ColLeave: "Départ", ColProduct: "Produit", ColQuantity: "Quantité",
	ColUnit: "Unité", ColKg: "Poids (kg)", ColCrates: "Caisses", ColLegKm: "Trajet (km)", ColLegMin: "Trajet (min)",
	ColDone: "Fait", ColSection: "Section", ColSite: "Site", ColOrder: "Commande",
	ColUnitPrice: "Prix unitaire (€)", ColAmount: "Montant (€)", ColNote: "Remarque",
	SecHousehold: "foyer", SecContents: "contenu", SecTotal: "total", SecDestination: "destination", SecUnsold: "invendu",
	SecLine: "ligne", SecOrganicShare: "part bio (%)", SecShortfall: "manque",

	ExtrasBags: "Sacs de suppléments (un par foyer)", BagOne: "sac", BagMany: "sacs", PackOne: "colis", PackMany: "colis",
	ColPacks:  "Colis",
	PackRule:  "Colis : chaque panier est un colis, les suppléments d'un foyer sont dans un sac, une cantine reçoit des caisses d'un produit de %s kg au plus.",
	Continued: "suite", SecUnassigned: "a-attribuer", Unassigned: "À attribuer (commandé par le relais, sans foyer)",
	RelayWhole: "Relais (à attribuer)", BasketCount: "Nombre de paniers", ListedCol: "Sur la liste",
	PickupKey:   "Sur la liste : somme des lignes des foyers et des lignes à attribuer. Commandé : ce que le relais a commandé. Livré : ce que le plan livre.",
	PackingList: "Liste de colisage", SetAside: "À mettre de côté par produit", ExtrasPerHousehold: "Suppléments par foyer",
	PackingIntro: "Dans l'ordre des tournées de livraison : chargez les colis d'un arrêt avant ceux de l'arrêt précédent, le premier arrêt sort en premier.",
	ForN:         "pour %s", SecBasket: "panier", SecExtra: "supplement", SecCrate: "caisse",
	UnroutedSites: "Non desservis (rien à préparer)", Stop2: "arrêt",
}

var english = words{
	PDFLang:     "en-GB",
	DecimalMark: ".",
	Thousands:   ",",
	Colon:       ": ",
	FileKinds: map[string]string{
		KindRoundSheet: "round-sheet", KindPickupList: "pickup-list",
		KindPreparationList: "preparation-list", KindDeliveryNote: "delivery-note", KindPackingList: "packing-list",
	},
	Classes: map[string]string{
		planner.ClassCanteen: "canteen", planner.ClassBasket: "baskets", planner.ClassExtra: "extras",
	},
	Categories: map[string]string{
		"legume": "vegetables", "légume": "vegetables", "fruit": "fruit", "oeuf": "eggs", "œuf": "eggs",
		"laitier": "dairy", "viande": "meat", "pain": "bread", "aromate": "herbs",
	},

	RoundSheet: "Round sheet", PickupList: "Pick-up list",
	PreparationList: "Preparation list", DeliveryNote: "Delivery note",

	Hub: "hub", Week: "Week", Round: "Round", RoundsWord: "rounds", VehiclesUsed: "vehicles",
	FillRate: "Fill rate", Shortfalls: "Shortfalls", Unrouted: "Not served",
	Collection: "collection", Delivery: "delivery", Vehicle: "Vehicle", Capacity: "capacity",
	Departure: "Departure", Return: "Return", At: "at", Around: "around",
	Totals: "Totals", Total: "TOTAL", LoadAtHub: "To load at the hub", UnloadAtHub: "To unload at the hub on return",
	Load: "To load", Unload: "To unload", Nothing: "(nothing)",
	Window: "window", Arrive: "arrive", Start: "start", Leave: "leave",
	ArriveShort: "arr.", StartShort: "start", LeaveShort: "dep.",
	Leg: "Drive", Baskets: "Baskets", BackTo: "Back to", StopOne: "stop", StopsWord: "stops", Stops: "Stops", Stop: "Stop",
	Times: "Times", Done: "Done", Page: "page",
	Crate: "crate", Crates: "crates",
	CrateRule: "Crates: one product per crate, at most %s kg per crate.",

	BasketContents: "Basket contents", BasketType: "Basket", PerBasket: "Per basket",
	Households: "Households", Household: "Household", Count: "No.", Extras: "Extras", Signature: "Signature",
	Item: "Item", OrderedCol: "Ordered", DeliveredCol: "Delivered", NoHouseholds: "No household registered",
	NotPlanned: "not planned", BasketOne: "basket", BasketMany: "baskets", ValuePrice: "Value / price",
	OrderedWord: "ordered", AllocatedWord: "delivered",
	DeliveryWord: "Delivery", NoDelivery: "no round planned",
	VanComes: "Van comes", BringToHub: "Bring to the hub",
	NothingSold: "Nothing to prepare this week.", Unsold: "Unsold (stays with you)",
	ToPrepare: "To harvest and pack", Destination: "Destination",
	Producer: "Producer", UnitPrice: "Unit price", Amount: "Amount", Organic: "Organic", OrganicMark: "organic",
	OrganicShare: "Organic share by value", Unpriced: "Some lines have no price: they count as €0.",
	ReceivedBy: "Received by", NoteNumber: "Note no.",
	ColRound: "Round", ColVehicle: "Vehicle", ColDate: "Date", ColKind: "Kind", ColStop: "Stop", ColID: "Id",
	ColName: "Name", ColAddress: "Address", ColWindowStart: "Window start", ColWindowEnd: "Window end",
	ColArrive: "Arrive", ColStart: "Service start", ColLeave: "Leave", ColProduct: "Product", ColQuantity: "Quantity",
	ColUnit: "Unit", ColKg: "Weight (kg)", ColCrates: "Crates", ColLegKm: "Drive (km)", ColLegMin: "Drive (min)",
	ColDone: "Done", ColSection: "Section", ColSite: "Site", ColOrder: "Order",
	ColUnitPrice: "Unit price (€)", ColAmount: "Amount (€)", ColNote: "Note",
	SecHousehold: "household", SecContents: "contents", SecTotal: "total", SecDestination: "destination", SecUnsold: "unsold",
	SecLine: "line", SecOrganicShare: "organic share (%)", SecShortfall: "shortfall",

	ExtrasBags: "Extras bags (one per household)", BagOne: "bag", BagMany: "bags", PackOne: "package", PackMany: "packages",
	ColPacks:  "Packages",
	PackRule:  "Packages: each basket is a package, a household's extras are in one bag, a canteen receives crates of one product of at most %s kg.",
	Continued: "continued", SecUnassigned: "to-hand-out", Unassigned: "To hand out (ordered by the relay point, no household)",
	RelayWhole: "Relay point (to hand out)", BasketCount: "Number of baskets", ListedCol: "On the list",
	PickupKey:   "On the list: sum of the households' rows and the rows to hand out. Ordered: what the relay point ordered. Delivered: what the plan delivers.",
	PackingList: "Packing list", SetAside: "To set aside per product", ExtrasPerHousehold: "Extras per household",
	PackingIntro: "In delivery-round order: load a stop's packages before those of the stop before it, so the first stop comes out first.",
	ForN:         "for %s", SecBasket: "basket", SecExtra: "extra", SecCrate: "crate",
	UnroutedSites: "Not served (nothing to pack)", Stop2: "stop",
}
