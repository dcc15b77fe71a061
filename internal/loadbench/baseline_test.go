package loadbench

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// The baselines, served by the test binary itself in a process of its own
// (see TestMain), so that they are measured exactly like the service.
const (
	envBaseline   = "PANIERS_LOADBENCH_BASELINE"
	envBaselineDB = "PANIERS_LOADBENCH_DB"
	baselineGorm  = "gorm"
	baselineBare  = "bare"
)

// baselineOffer is the minimal handler's row and body: an offer.
type baselineOffer struct {
	ID         uint64  `gorm:"primaryKey" json:"id"`
	Producer   string  `json:"producer"`
	Product    string  `json:"product"`
	Quantity   float64 `json:"quantity"`
	PriceCents int64   `json:"price_cents"`
}

// serveBaseline serves one baseline on 127.0.0.1 until SIGINT and returns
// the exit code. It prints "msg=listening addr=..." as paniers does.
func serveBaseline(mode, dbPath string) int {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	switch mode {
	case baselineGorm:
		// WAL and one connection, as the issue describes the baseline;
		// synchronous=NORMAL and a busy timeout, as paniers opens SQLite.
		db, err := gorm.Open(sqlite.Open("file:"+dbPath+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000"),
			&gorm.Config{SkipDefaultTransaction: true, PrepareStmt: true, Logger: logger.Discard})
		if err != nil {
			log.Print(err)
			return 1
		}
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(1)
		if err := db.AutoMigrate(&baselineOffer{}); err != nil {
			log.Print(err)
			return 1
		}
		e.POST("/api/v1/weeks/:week/offers", func(c *gin.Context) {
			var o baselineOffer
			if err := c.ShouldBindJSON(&o); err != nil {
				c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
				return
			}
			if err := db.Create(&o).Error; err != nil {
				c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
				return
			}
			c.JSON(http.StatusCreated, o)
		})
	case baselineBare:
		e.POST("/api/v1/weeks/:week/offers", func(c *gin.Context) {
			c.JSON(http.StatusCreated, gin.H{"ok": true})
		})
	default:
		log.Printf("unknown baseline %q", mode)
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Print(err)
		return 1
	}
	fmt.Fprintf(os.Stdout, "msg=listening addr=%s\n", ln.Addr())
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	// A baseline never outlives its benchmark by long, even if orphaned.
	select {
	case <-stop:
	case <-time.After(15 * time.Minute):
	}
	srv.Close()
	return 0
}
