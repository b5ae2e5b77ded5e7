# coffer_db_plugins: database::Plugin and its implementations.
add_library(coffer_db_plugins STATIC
  ${CMAKE_CURRENT_LIST_DIR}/statements.cc
  ${CMAKE_CURRENT_LIST_DIR}/plugin_registry.cc
  ${CMAKE_CURRENT_LIST_DIR}/postgres_conninfo.cc
  ${CMAKE_CURRENT_LIST_DIR}/postgres_connection.cc
  ${CMAKE_CURRENT_LIST_DIR}/postgres_plugin.cc
  ${CMAKE_CURRENT_LIST_DIR}/mysql_dsn.cc
  ${CMAKE_CURRENT_LIST_DIR}/mysql_connection.cc
  ${CMAKE_CURRENT_LIST_DIR}/mysql_plugin.cc)
coffer_options(coffer_db_plugins)
target_link_libraries(coffer_db_plugins PUBLIC coffer_base PkgConfig::LIBPQ PkgConfig::MARIADB
  Threads::Threads)
