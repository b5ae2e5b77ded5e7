# Sources of the database secrets engine's paths (compiled into coffer_engines).
set(COFFER_DATABASE_BACKEND_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/credentials.cc
  ${CMAKE_CURRENT_LIST_DIR}/database_backend.cc
  ${CMAKE_CURRENT_LIST_DIR}/database_state.cc
  ${CMAKE_CURRENT_LIST_DIR}/db_config.cc
  ${CMAKE_CURRENT_LIST_DIR}/path_config.cc
  ${CMAKE_CURRENT_LIST_DIR}/path_creds.cc
  ${CMAKE_CURRENT_LIST_DIR}/path_roles.cc
  ${CMAKE_CURRENT_LIST_DIR}/path_rotate_root.cc
  ${CMAKE_CURRENT_LIST_DIR}/path_static_creds.cc
  ${CMAKE_CURRENT_LIST_DIR}/path_static_roles.cc
  ${CMAKE_CURRENT_LIST_DIR}/role_entry.cc
  ${CMAKE_CURRENT_LIST_DIR}/rotation.cc)
