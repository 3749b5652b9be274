// The one exported symbol of libQnnHtp.so.
#include "backends/htp/capabilities.h"
#include "backends/htp/htp_backend.h"

OQNN_DEFINE_BACKEND("htp", OQNN_BACKEND_HTP, "0.1.0", oqnn::htp::kCapabilities,
                    oqnn::htp::create_backend)
