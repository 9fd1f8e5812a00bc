"""Domain helpers: rules that need no database session. The statutory calendar (holidays and
make-up workdays), which days a schedule rule serves, the 委托代办协议 text and its version, and
the subscribe-message templates with their fields."""
